import { clientAddress, expandIpv6, networkOf } from './client-address';

describe('clientAddress', () => {
  it('uses the socket peer when no proxy is trusted, ignoring X-Forwarded-For', () => {
    expect(clientAddress('198.51.100.4', '203.0.113.9', 0)).toBe('198.51.100.4');
    expect(clientAddress('::ffff:198.51.100.4', undefined, 0)).toBe('198.51.100.4');
  });

  it('reads the entry the outermost trusted proxy appended, never a client-supplied one', () => {
    expect(clientAddress('10.0.0.2', 'spoofed, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.1', 2)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '203.0.113.9', 3)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', 'not-an-address', 1)).toBeUndefined();
  });

  it('reads an entry a proxy wrote with the client port (Azure Application Gateway, IIS)', () => {
    expect(clientAddress('10.0.0.2', '17.58.101.3:51234', 1)).toBe('17.58.101.3');
    expect(clientAddress('10.0.0.2', 'spoofed, [2620:149:a:b::1]:443', 1)).toBe('2620:149:a:b::1');
    expect(clientAddress('10.0.0.2', '[2001:db8::7]', 1)).toBe('2001:db8::7');
    expect(clientAddress('10.0.0.2', '[::ffff:203.0.113.9]:80', 1)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '203.0.113.9:port', 1)).toBeUndefined();
    expect(clientAddress('10.0.0.2', '[not-an-address]:80', 1)).toBeUndefined();
  });
});

describe('networkOf', () => {
  it.each([
    ['203.0.113.9', '203.0.113.0/24'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::/48'],
    ['::1', '0:0:0::/48'],
    [undefined, undefined],
    ['nonsense', undefined],
  ])('cuts %s to %s', (address, network) => {
    expect(networkOf(address)).toBe(network);
  });

  it('expands :: to the missing groups', () => {
    expect(expandIpv6('2620:149::1')).toEqual(['2620', '149', '0', '0', '0', '0', '0', '1']);
  });
});
