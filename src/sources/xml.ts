import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { SourceFormatError } from './http-client.js';

/** Elements that may repeat in Atom and RSS; always arrays, so one entry and many look the same. */
const REPEATED = new Set(['entry', 'item', 'author', 'category', 'link']);

// Namespace prefixes are dropped: the old arXiv backend declared xmlns on every element, the new one on
// the root only, and only the local names matter to us.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

/** Parses an XML document; a document that is not well-formed (say, cut off) is a SourceFormatError. */
export function parseXml(text: string, what: string): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new SourceFormatError(`${what} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  }
  return parser.parse(text) as Record<string, unknown>;
}

/** The text of an element, whether it came as a plain string or with attributes (`{ '#text': … }`). */
export const xmlText = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && '#text' in v ? (v as { '#text': unknown })['#text'] : v),
  z.string(),
);
