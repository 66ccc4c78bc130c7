import { registerEnumType } from 'type-graphql';

/** Which layer recognised a repeat (the contract's DetectionSource). */
export enum DetectionSource {
  CACHE = 'CACHE',
  DATABASE = 'DATABASE',
  TOKEN = 'TOKEN',
}
registerEnumType(DetectionSource, { name: 'DetectionSource', description: 'Which layer recognised the repeat.' });
