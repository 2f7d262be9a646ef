import { consoleHarness } from './console-harness.js';
import { describeAdapterContract } from './contract.js';

describeAdapterContract('console', consoleHarness);
