import { conformance } from './lib/suite.js';

conformance('codex');
