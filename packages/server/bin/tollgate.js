#!/usr/bin/env node
// The installed entry point; the CLI itself is compiled to dist/ by `npm run build` (run by npm ci).
await import('../dist/cli/main.js');
