import { z } from 'zod';

/** A text variable read by a parser that returns the value, or a message saying what is wrong. */
export function parsedWith<T>(parse: (text: string) => T | string) {
  return (text: string, ctx: z.RefinementCtx): T => {
    const value = parse(text);
    if (typeof value !== 'string') return value;
    ctx.addIssue({ code: 'custom', message: value });
    return z.NEVER;
  };
}
