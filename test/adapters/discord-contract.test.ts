import { describeAdapterContract } from './contract.js';
import { discordHarness } from './discord-harness.js';

describeAdapterContract('discord', discordHarness);
