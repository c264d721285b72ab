#!/usr/bin/env node
// The bin (dist/src/cli.js): the command line lives in src/cli/.
import './cli/main.js';
