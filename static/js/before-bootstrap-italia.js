/*
 * Loaded before bootstrap-italia.bundle.min.js.
 *
 * The bundle contains video.js, which on load injects a <style class="vjs-styles-defaults">
 * element into <head>. Our Content-Security-Policy (style-src 'self') blocks inline styles,
 * so the browser would report a violation on every page. This flag, read by video.js,
 * turns that injection off. The portal shows no video players.
 */
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
