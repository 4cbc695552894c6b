import { readFileSync } from 'fs';
import { join } from 'path';
import { getMetadataStorage } from 'class-validator';
import { EnvironmentVariables } from './environment';

describe('.env.example', () => {
  it('documents every variable the environment class validates, and no others', () => {
    const declared = new Set(getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', false, false).map((m) => m.propertyName));
    const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
    const lines = text.split('\n');
    const listed = lines.map((l, i) => ({ key: /^([A-Z][A-Z0-9_]*)=/.exec(l)?.[1], comment: lines[i - 1] ?? '' })).filter((e) => e.key);
    expect(listed.map((e) => e.key).sort()).toEqual([...declared].sort());
    for (const e of listed) expect(`${e.key}: ${e.comment}`).toMatch(/^[A-Z0-9_]+: # \S/);
  });
});
