import { ValueTransformer } from 'typeorm';

/** bigint columns come back as strings from pg; money in minor units stays well inside 2^53. */
export const bigintAsNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? v : Number(v)),
};
