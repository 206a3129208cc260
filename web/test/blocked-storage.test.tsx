// @vitest-environment jsdom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I18nProvider, useI18n } from '../src/i18n/index.js';
import { storageItem } from '../src/lib/storage.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** Browsers with cookies/site data blocked throw a SecurityError as soon as the storage is touched. */
function blockStorage(name: 'localStorage' | 'sessionStorage') {
  const original = Object.getOwnPropertyDescriptor(window, name);
  Object.defineProperty(window, name, {
    configurable: true,
    get() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });
  return () => {
    if (original) Object.defineProperty(window, name, original);
  };
}

let restore: (() => void)[] = [];
beforeEach(() => {
  restore = [blockStorage('localStorage'), blockStorage('sessionStorage')];
});
afterEach(() => {
  for (const r of restore) r();
  document.body.innerHTML = '';
});

function LanguageProbe() {
  const { locale, setLocale } = useI18n();
  return (
    <button type="button" onClick={() => setLocale('en')}>
      {locale}
    </button>
  );
}

describe('blocked browser storage', () => {
  it('renders the app shell and switches language without localStorage', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    await act(async () => {
      root.render(
        <I18nProvider>
          <LanguageProbe />
        </I18nProvider>,
      );
    });
    const button = container.querySelector('button');
    expect(button?.textContent).toBe('it');
    await act(async () => {
      button?.click();
    });
    expect(container.querySelector('button')?.textContent).toBe('en');
    await act(async () => root.unmount());
  });

  it('reads nothing and writes nowhere when either storage is blocked', () => {
    for (const kind of ['local', 'session'] as const) {
      const item = storageItem(kind, 'urpnet.test');
      expect(item.get()).toBeNull();
      expect(() => item.set('x')).not.toThrow();
    }
  });
});
