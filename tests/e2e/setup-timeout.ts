import { jest } from '@jest/globals';

// Each end-to-end test starts a Godot engine in Chromium, which takes seconds, not
// milliseconds. Jest reads testTimeout only from the global config, so the e2e project sets
// it here.
jest.setTimeout(60_000);
