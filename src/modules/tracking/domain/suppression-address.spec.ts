import { createHash } from 'node:crypto';
import { addressDomain, addressKey, addressKeys, normalizeAddress, sendingAddress } from './suppression-address';

/** The key earlier versions stored: the address trimmed and lower-cased, its domain as written. */
const legacyKey = (address: string) =>
  createHash('sha256').update(`journeycast-suppression:${address.trim().toLowerCase()}`).digest('hex');

describe('suppression addresses', () => {
  it.each([
    ['ana@example.com', 'ana@example.com'],
    ['  Ana@Example.COM ', 'ana@example.com'],
    ['ana@ex\u00e4mple.com', 'ana@xn--exmple-cua.com'],
    ['ana@exa\u0308mple.com', 'ana@xn--exmple-cua.com'],
    ['Ana@EX\u00c4MPLE.com', 'ana@xn--exmple-cua.com'],
    ['ana@XN--EXMPLE-CUA.COM', 'ana@xn--exmple-cua.com'],
    ['ana@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d', 'ana@example.com'],
    ['ana@example\u3002com', 'ana@example.com'],
    ['J\u00f6rg@ex\u00e4mple.com', 'j\u00f6rg@xn--exmple-cua.com'],
    ['a@b@ex\u00e4mple.com', 'a@b@xn--exmple-cua.com'],
    ['ana@[192.0.2.1]', 'ana@[192.0.2.1]'],
    ['ana@xn--zz.com', 'ana@xn--zz.com'],
    ['nobody', 'nobody'],
  ])('matches %j as %j', (address, normalized) => {
    expect(normalizeAddress(address)).toBe(normalized);
    expect(addressKey(address)).toBe(addressKey(normalized));
  });

  it.each([
    ['Ana@Example.COM', 'Ana@example.com'],
    ['Cy@exa\u0308mple.com', 'Cy@xn--exmple-cua.com'],
    ['J\u00f6rg@EX\u00c4MPLE.com', 'J\u00f6rg@xn--exmple-cua.com'],
    ['ana@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d', 'ana@example.com'],
    ['ana@[192.0.2.1]', 'ana@[192.0.2.1]'],
    ['nobody', 'nobody'],
  ])('sends to %j as %j, the domain the list matches it by', (address, sent) => {
    expect(sendingAddress(address)).toBe(sent);
    expect(addressKey(sent)).toBe(addressKey(address));
  });

  it.each([
    ['ana@example.com', ['ana@example.com']],
    ['Ana@Ex\u00e4mple.com', ['ana@xn--exmple-cua.com', 'ana@ex\u00e4mple.com']],
    ['ana@exa\u0308mple.com', ['ana@xn--exmple-cua.com', 'ana@exa\u0308mple.com', 'ana@ex\u00e4mple.com']],
    ['ana@xn--exmple-cua.com', ['ana@xn--exmple-cua.com', 'ana@ex\u00e4mple.com']],
  ])('looks %j up under its key, then under the keys earlier versions stored', (address, spellings) => {
    expect(addressKeys(address)).toEqual(spellings.map(legacyKey));
    expect(addressKeys(address)[0]).toBe(addressKey(address));
  });

  it.each([
    ['ana@Ex\u00e4mple.com', 'xn--exmple-cua.com'],
    ['ana@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d', 'example.com'],
    ['ana@', undefined],
    ['nobody', undefined],
  ])('gives the domain of %j as %j', (address, domain) => {
    expect(addressDomain(address)).toBe(domain);
  });
});
