// @vitest-environment jsdom
import { act, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaxonomyPicker } from '../src/components/TaxonomyPicker.js';
import { I18nProvider } from '../src/i18n/index.js';
import { taxonomy } from './fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const tema = taxonomy.facets.find((f) => f.code === 'tema');
if (!tema) throw new Error('fixture without tema');

let container: HTMLDivElement;
let root: Root;
let picked: string[];

function Harness() {
  const [value, setValue] = useState('');
  return (
    <I18nProvider>
      <TaxonomyPicker
        id="tema"
        facet={tema as NonNullable<typeof tema>}
        label="Tema"
        value={value}
        onChange={(code) => {
          picked.push(code);
          setValue(code);
        }}
      />
    </I18nProvider>
  );
}

function input(): HTMLInputElement {
  const el = container.querySelector<HTMLInputElement>('input[role="combobox"]');
  if (!el) throw new Error('no combobox');
  return el;
}

function type(text: string) {
  const el = input();
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  act(() => {
    setter?.call(el, text);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function key(name: string) {
  act(() => {
    input().dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
  });
}

const options = () => [...container.querySelectorAll<HTMLLIElement>('[role="option"]')];

beforeEach(() => {
  picked = [];
  localStorage.clear();
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => root.render(<Harness />));
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

describe('TaxonomyPicker', () => {
  it('is a labelled, collapsed combobox at first', () => {
    const el = input();
    expect(container.querySelector('label')?.htmlFor).toBe('tema');
    expect(el.getAttribute('aria-expanded')).toBe('false');
    expect(options()).toHaveLength(0);
  });

  it('filters while typing and picks with arrows and Enter, showing the parent › child path', () => {
    type('tributi');
    expect(input().getAttribute('aria-expanded')).toBe('true');
    expect(options().map((o) => o.dataset.code)).toEqual(['tributi', 'tributi.tari', 'tributi.imu']);
    expect(options()[0]?.getAttribute('aria-selected')).toBe('true');
    key('ArrowDown');
    key('ArrowDown');
    expect(input().getAttribute('aria-activedescendant')).toBe('tema-opt-tributi.imu');
    key('Enter');
    expect(picked).toEqual(['tributi.imu']);
    expect(input().value).toBe('Tributi locali › IMU');
    expect(input().getAttribute('aria-expanded')).toBe('false');
    expect(container.textContent).toContain('Scelta: Tributi locali › IMU');
  });

  it('does not go past the ends of the list', () => {
    type('spid');
    key('ArrowUp');
    key('ArrowDown');
    key('ArrowDown');
    expect(input().getAttribute('aria-activedescendant')).toBe('tema-opt-identita_digitale.spid');
  });

  it('closes on Escape without picking', () => {
    type('imu');
    key('Escape');
    expect(input().getAttribute('aria-expanded')).toBe('false');
    expect(picked).toEqual([]);
  });

  it('says when nothing matches', () => {
    type('zzz');
    expect(options()).toHaveLength(0);
    expect(container.textContent).toContain('Nessuna voce corrisponde a «zzz».');
  });
});
