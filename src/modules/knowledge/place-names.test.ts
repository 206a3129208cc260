import { describe, expect, it } from 'vitest';
import { Territory } from '../territory/index.js';
import { packageTerritory } from '../territory/package-data.js';
import { placeOfOrganisationName, placesNamed } from './place-names.js';

const italy = new Territory(packageTerritory(), 'test');

describe('places a portal question names', () => {
  it('finds any comune of Italy with the province and region that contain it', () => {
    expect(placesNamed(italy, ['quando scade la TARI a Treviglio?', null])).toEqual({ places: ['treviglio'], enclosing: ['bergamo', 'lombardia'] });
    expect(placesNamed(italy, ['orari anagrafe', 'Comune di Celano'])).toEqual({ places: ['celano'], enclosing: ['l aquila', 'abruzzo'] });
    expect(placesNamed(italy, ['bollo auto in Lombardia'])).toEqual({ places: ['lombardia'], enclosing: [] });
    expect(placesNamed(italy, ['come pago la tari', ''])).toEqual({ places: [], enclosing: [] });
  });

  it('meets the organisation names of the same place', () => {
    const [treviglio] = placesNamed(italy, ['Treviglio']).places;
    expect(placeOfOrganisationName('Comune di Treviglio')).toBe(treviglio);
    expect(placesNamed(italy, ['Treviglio']).enclosing).toContain(placeOfOrganisationName('Provincia di Bergamo'));
    expect(placesNamed(italy, ['Treviglio']).enclosing).toContain(placeOfOrganisationName('Regione Lombardia'));
  });
});
