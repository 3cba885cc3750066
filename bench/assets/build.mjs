// The portal's two front-end files, built from the npm package bootstrap-italia (the
// version vendored in static/vendor/bootstrap-italia) and our own stylesheets (issue #20):
//
//   static/js/bootstrap-italia.min.js  only the Bootstrap Italia modules the templates use
//                                      (bench/assets/bootstrap-italia.entry.js), esbuild
//   static/css/portal.min.css          Bootstrap Italia's CSS without the rules no template,
//                                      form template or script can match (PurgeCSS), then
//                                      our stylesheets whole, in one minified file
//
// Run `make assets` (npm ci in bench/, then this script) after changing a template's
// classes, static/css/*.css or the entry file, and commit both outputs. Development time
// only: production serves the committed files (whitenoise), Node is not needed there.
// docs/frontend.md explains the method.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { build, transform } from "esbuild";
import { PurgeCSS } from "purgecss";

const BENCH = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = join(BENCH, "..");
const VENDOR = join(ROOT, "static/vendor/bootstrap-italia/dist");
const JS_OUT = join(ROOT, "static/js/bootstrap-italia.min.js");
const CSS_OUT = join(ROOT, "static/css/portal.min.css");
// Our stylesheets, kept whole after Bootstrap Italia's (order matters: later wins).
export const OWN_CSS = [
  "static/css/fonts.css",
  "static/css/quartieri.css",
  "static/css/sessions.css",
  "static/css/charts.css",
  "static/css/budget.css",
];
const version = JSON.parse(
  readFileSync(join(BENCH, "node_modules/bootstrap-italia/package.json"), "utf8"),
).version;

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

async function buildJs() {
  await build({
    entryPoints: [join(BENCH, "assets/bootstrap-italia.entry.js")],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "none",
    banner: {
      js:
        `/*! Bootstrap Italia ${version} (BSD-3-Clause, static/vendor/bootstrap-italia/LICENSE), ` +
        "Bootstrap 5 (MIT, The Bootstrap Authors), Popper 2 (MIT, Federico Zivolo): only the " +
        "modules of bench/assets/bootstrap-italia.entry.js, built by `make assets`. */",
    },
    outfile: JS_OUT,
  });
}

// Where a class the stylesheet styles may come from: our templates and scripts, the
// form templates of crispy-bootstrap5 and django-filter, Django's widgets, the classes
// our Python code gives widgets, and the Bootstrap Italia modules we ship (the classes
// they add at run time: show, expanded, data-focus-mouse...).
function contentFiles() {
  const python = readdirSync(join(ROOT, ".venv/lib")).find((d) => d.startsWith("python3"));
  if (!python) throw new Error("no .venv: run make venv first");
  const site = `.venv/lib/${python}/site-packages`;
  const patterns = [
    "templates/**/*.html",
    "static/js/**/*.js",
    "{labs,beneficiaries,reporting,partners,config}/**/*.py",
    `${site}/crispy_bootstrap5/templates/**/*.html`,
    `${site}/django_filters/templates/**/*.html`,
    `${site}/django/forms/templates/**/*.html`,
  ];
  return patterns.map((p) => join(ROOT, p)); // globs, expanded by PurgeCSS
}

async function buildCss() {
  const source = join(VENDOR, "css/bootstrap-italia.min.css");
  const [purged] = await new PurgeCSS().purge({
    content: contentFiles(),
    css: [source],
    // Classes that appear nowhere literally: Bootstrap's state classes set by modules we
    // do not ship but whose look the templates may still want, and Popper's placement.
    safelist: {
      standard: ["show", "showing", "hiding", "active", "disabled", "collapsing", "fade"],
      greedy: [/data-popper/],
    },
    // Drop @font-face and @keyframes no kept rule names (video.js's icon font, ~25 KiB);
    // keep every custom property: they are read through var() chains PurgeCSS cannot follow.
    keyframes: true,
    fontFace: true,
    variables: false,
  });
  // The web font stack gets the metric-matched fallback of fonts.css, so that the swap
  // from the fallback to Titillium Web does not move the layout (CLS).
  const kit = purged.css.replace(
    /"Titillium Web",\s*Geneva/g,
    '"Titillium Web", "Titillium Web Fallback", Geneva',
  );
  const own = OWN_CSS.map((p) => `/* ${p} */\n` + readFileSync(join(ROOT, p), "utf8"));
  const { code } = await transform([kit, ...own].join("\n"), { loader: "css", minify: true });
  const sources = [relative(ROOT, source), ...OWN_CSS]
    .map((p) => `${p} sha256:${sha256(join(ROOT, p))}`)
    .join("\n * ");
  const banner =
    `/*! Bootstrap Italia ${version} (BSD-3-Clause, static/vendor/bootstrap-italia/LICENSE; ` +
    "includes Bootstrap 5, MIT) purged of the rules nothing in the portal can match, then " +
    "the portal's own stylesheets. Built by `make assets` from:\n * " +
    sources +
    "\n */\n";
  writeFileSync(CSS_OUT, banner + code);
  return { before: readFileSync(source).length, after: code.length };
}

await buildJs();
const css = await buildCss();
const js = readFileSync(JS_OUT).length;
console.log(
  `${relative(ROOT, JS_OUT)}: ${(js / 1024).toFixed(0)} KiB (full bundle 996 KiB)\n` +
    `${relative(ROOT, CSS_OUT)}: ${(css.after / 1024).toFixed(0)} KiB ` +
    `(Bootstrap Italia's CSS alone ${(css.before / 1024).toFixed(0)} KiB)`,
);
