import { registerEnumType } from 'type-graphql';

/** Which layer recognised a repeat (the contract's DetectionSource). */
export enum DetectionSource {
  CACHE = 'CACHE',
  DATABASE = 'DATABASE',
  TOKEN = 'TOKEN',
}
registerEnumType(DetectionSource, {
  name: 'DetectionSource',
  description: 'Which layer recognised the repeat.',
  valuesConfig: {
    CACHE: { description: "The claim store, the fast path before the database, remembered the key's answer." },
    DATABASE: { description: "The database, the final arbiter, holds the key's order or change." },
    TOKEN: { description: 'createOrder only: the order token sent was already used, by the order in the answer.' },
  },
});
