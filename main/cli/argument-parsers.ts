// Parsers for option values that commander reports as usage errors (exit 2, with the usage) instead of crashing on them.
import { InvalidArgumentError } from 'commander';

/** An integer within [min, max]; "abc", "1.5" and "" are refused with the range in the message. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isInteger(number) || number < min || number > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
    return number;
  };
}

export const parsePort = integerIn(0, 65535);
export const parseCount = integerIn(1, Number.MAX_SAFE_INTEGER);
