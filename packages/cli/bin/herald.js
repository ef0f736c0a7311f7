#!/usr/bin/env node
// The command's JavaScript is built from src/ by `npm install` (prepare); see src/main.ts.
import '../dist/main.js';
