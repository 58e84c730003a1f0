#!/usr/bin/env node
// The stdio server lives in the built dist; this shim exists so npm can link the bin before the first build.
await import('../dist/stdio.js');
