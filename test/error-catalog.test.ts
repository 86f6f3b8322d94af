import { describe, expect, it } from 'vitest';
import { errorCatalog, errorCode, type ErrorKey } from '../src/server/errors/error-catalog.js';
import { gatewayErrors } from '../src/server/errors/gateway-error.js';
import { servicePrefixes, type ServiceName } from '../src/server/errors/service-of-url.js';

const keys = Object.keys(errorCatalog) as ErrorKey[];
const services = Object.keys(servicePrefixes) as ServiceName[];

describe('the error catalog', () => {
  it('gives every client error a 4xx status and a title; only an unreachable source is a 502, never a 500', () => {
    for (const key of keys) {
      const { status } = errorCatalog[key];
      if (key === 'sourceUnreachable') expect(status).toBe(502);
      else {
        expect(status, key).toBeGreaterThanOrEqual(400);
        expect(status, key).toBeLessThan(500);
      }
      expect(errorCatalog[key].title.length, key).toBeGreaterThan(0);
    }
  });

  it.each(services)('gives each error a distinct code in %s', (service) => {
    const codes = keys.map((key) => errorCode(key, service, servicePrefixes[service]));
    const duplicates = codes.filter((code, index) => codes.indexOf(code) !== index);
    expect(duplicates).toEqual([]);
    for (const code of codes) expect(code).toMatch(new RegExp(`^${servicePrefixes[service]}-\\d{4}-\\d{3}$`));
  });

  it('keeps the codes AEP documents', () => {
    expect(errorCode('ifMatchMissing', 'flowservice', 'FLOW')).toBe('FLOW-1403-400');
    expect(errorCode('etagMismatch', 'flowservice', 'FLOW')).toBe('FLOW-1404-412');
    expect(errorCode('notFound', 'flowservice', 'FLOW')).toBe('FLOW-1439-404');
    expect(errorCode('notFound', 'schemaregistry', 'XDM')).toBe('XDM-1012-404');
    expect(errorCode('acceptMissingVersion', 'schemaregistry', 'XDM')).toBe('XDM-1007-400');
    expect(errorCode('acceptInvalid', 'schemaregistry', 'XDM')).toBe('XDM-1006-400');
    expect(errorCode('inUse', 'flowservice', 'FLOW')).toBe('FLOW-1418-400');
  });

  it('answers gateway failures with AEP gateway codes', () => {
    for (const [key, error] of Object.entries(gatewayErrors)) {
      expect(error.status, key).toBeGreaterThanOrEqual(400);
      expect(error.status, key).toBeLessThan(500);
      if (key !== 'clientInvalid') expect(error.code.startsWith(String(error.status)), key).toBe(true);
    }
  });
});
