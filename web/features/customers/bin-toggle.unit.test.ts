import { describe, expect, it } from 'vitest';
import { sortAfterBinSwitch } from './BinToggle';

describe('sortAfterBinSwitch', () => {
  it('opens the bin newest-deleted first only from the default sort, and drops that sort on the way back', () => {
    expect(sortAfterBinSwitch(true, '-updatedAt', '-updatedAt')).toBe('-deletedAt');
    expect(sortAfterBinSwitch(true, 'name', '-updatedAt')).toBe('name');
    expect(sortAfterBinSwitch(false, '-deletedAt', '-updatedAt')).toBe('-updatedAt');
    expect(sortAfterBinSwitch(false, 'name', '-updatedAt')).toBe('name');
  });
});
