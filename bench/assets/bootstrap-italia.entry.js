/*
 * The Bootstrap Italia modules the portal uses, and nothing else (issue #20): built by
 * `make assets` (bench/assets/build.mjs) into static/js/bootstrap-italia.min.js.
 * Templates ask for behaviour with data-bs-* attributes; the modules below attach it.
 * When a template starts using another component (collapse, modal, tooltip...),
 * import its module here and run `make assets`.
 */

// Focus outline only for keyboard users: marks mouse focus with data-focus-mouse,
// which the stylesheet's :focus rules read (init.js runs TrackFocus).
import "bootstrap-italia/dist/plugins/init.js";
// The user menu in the slim header (data-bs-toggle="dropdown").
import Dropdown from "bootstrap-italia/dist/plugins/dropdown.js";
// The main menu, collapsed to a side panel on small screens (data-bs-toggle="navbarcollapsible").
import NavBarCollapsible from "bootstrap-italia/dist/plugins/navbar-collapsible.js";

window.bootstrap = { Dropdown, NavBarCollapsible };
