import { describe, expect, it } from 'vitest';
import { findPlace, territoryMatch } from './territory.js';

describe('territory', () => {
  it('matches exact codes, places inside a declared area, and nationwide declarations', () => {
    expect(territoryMatch(['066032'], '066032')).toBe(3);
    expect(territoryMatch(['066'], '066032')).toBe(2);
    expect(territoryMatch(['13'], '066')).toBe(2);
    expect(territoryMatch(['13'], '066032')).toBe(2);
    expect(territoryMatch(['15'], '066032')).toBe(0);
    expect(territoryMatch([], '066032')).toBe(1);
  });

  it("finds places named in an operator's question", () => {
    const comuni = new Map([['Celano', '066032'], ['Napoli', '063049']]);
    expect(findPlace("chi è competente per esenzione ticket sanitario in provincia dell'Aquila?", comuni)).toEqual({ code: '066', name: "L'Aquila" });
    expect(findPlace('tari napoli scadenza', comuni)).toEqual({ code: '063049', name: 'Napoli' });
    expect(findPlace('bollo auto in Puglia', comuni)).toEqual({ code: '16', name: 'Puglia' });
    expect(findPlace('passaporto', comuni)).toBeNull();
  });
});
