// bin/run.js starts oclif from here, so that it runs the bundled copy of @oclif/core the
// commands extend (see tsup.config.ts), not a second one from node_modules.
export { execute } from '@oclif/core';
