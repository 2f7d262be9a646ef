import { describeAdapterContract } from './contract.js';
import { slackHarness } from './slack-harness.js';

describeAdapterContract('slack (HTTP mode)', (db) => slackHarness(db, { mode: 'http' }));
describeAdapterContract('slack (Socket Mode)', (db) => slackHarness(db, { mode: 'socket' }));
