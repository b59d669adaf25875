// @stryker-mutator/mocha-runner 9.x (the last Stryker that runs on Node 20) loads three of mocha's CLI
// helpers by their old file names (lib/cli/run-helpers, options, collect-files); mocha 12 renamed them to
// .cjs and kept what they export. Preloaded into Stryker and its workers (NODE_OPTIONS, see ./run.mjs), this
// resolves the old names to the new files. Nothing else is touched.
'use strict';
const Module = require('node:module');
const resolveFilename = Module._resolveFilename;
const OLD_NAME = /[\\/]mocha[\\/]lib[\\/]cli[\\/](run-helpers|options|collect-files)$/;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, OLD_NAME.test(request) ? `${request}.cjs` : request, ...rest);
};
