// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.js';
import { fieldErrorMessages, focusFirstInvalid, validationSummary } from '../src/lib/form-errors.js';

const problem = new ApiError(400, {
  status: 400,
  code: 'request.validation',
  detail: 'Dati non validi (body): «subject» è troppo corto; …',
  errors: [
    { path: 'subject', field: 'subject', code: 'too_short', params: { limit: 3 }, message: '«subject» è troppo corto (minimo 3 caratteri)' },
    { path: 'description', field: 'description', code: 'required', params: {}, message: 'campo obbligatorio «description» vuoto' },
    { path: 'requester.email', field: 'requester.email', code: 'invalid_format', params: { format: 'email' }, message: '«requester.email» non è un email valido' },
    { path: 'classification.tema', message: 'Tema non presente nella tassonomia.' },
  ],
});

describe('form errors', () => {
  it('gives every field its error at once, in the user language, from code and params', () => {
    expect(fieldErrorMessages(problem, 'en')).toEqual({
      subject: 'Too short: at least 3 characters.',
      description: 'This field is required.',
      'requester.email': 'Invalid e-mail address.',
      'classification.tema': 'Tema non presente nella tassonomia.',
    });
    expect(fieldErrorMessages(problem, 'it').subject).toBe('Troppo corto: almeno 3 caratteri.');
  });

  it('names the fields by their labels, not by internal names', () => {
    const labels = { subject: 'Subject', description: 'Description', 'requester.email': 'E-mail', 'classification.tema': 'Topic' };
    expect(validationSummary(problem, 'en', labels)).toBe('Please correct the highlighted fields: Subject, Description, E-mail, Topic.');
    expect(validationSummary(new Error('x'), 'en', labels)).toBeNull();
  });

  it('moves focus to the first invalid field in the order the user sees them', async () => {
    document.body.innerHTML = '<form><input id="a"><input id="b" aria-invalid="true"><input id="c" aria-invalid="true"></form>';
    focusFirstInvalid();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(document.activeElement?.id).toBe('b');
  });
});
