import { describe, expect, it } from 'vitest';
import { addressRefusal } from './address-policy.js';

describe('addressRefusal', () => {
  const refused: [string, RegExp][] = [
    ['127.0.0.1', /loopback/],
    ['127.10.0.1', /loopback/],
    ['::1', /loopback/],
    ['10.1.2.3', /private/],
    ['172.16.0.9', /private/],
    ['192.168.1.1', /private/],
    ['169.254.169.254', /link-local/],
    ['fe80::1', /link-local/],
    ['fd00:ec2::254', /unique local/],
    ['0.0.0.0', /unspecified/],
    ['100.64.0.1', /carrier-grade/],
    ['224.0.0.1', /multicast/],
    ['::ffff:7f00:1', /IPv4-mapped .*127\.0\.0\.1/],
    ['::ffff:8.8.8.8', /IPv4-mapped/],
    ['64:ff9b::a00:1', /non-public/],
    ['2002:7f00:1::', /non-public/],
  ];
  it.each(refused)('refuses %s', (address, why) => {
    expect(addressRefusal(address, { allowLoopback: false })).toMatch(why);
  });

  it('accepts public unicast addresses', () => {
    for (const address of ['8.8.8.8', '20.190.128.1', '2606:4700::1111'])
      expect(addressRefusal(address, { allowLoopback: false })).toBeUndefined();
  });

  it('lets loopback (only) through under the test setting', () => {
    expect(addressRefusal('127.0.0.1', { allowLoopback: true })).toBeUndefined();
    expect(addressRefusal('::1', { allowLoopback: true })).toBeUndefined();
    expect(addressRefusal('10.0.0.1', { allowLoopback: true })).toMatch(/private/);
    expect(addressRefusal('169.254.169.254', { allowLoopback: true })).toMatch(/link-local/);
  });
});

describe('addressRefusal with private networks allowed', () => {
  const policy = { allowLoopback: false, allowPrivate: true };

  it('accepts the private ranges a private endpoint uses', () => {
    for (const address of ['10.1.2.3', '172.16.0.9', '192.168.1.1', 'fd12:3456::7'])
      expect(addressRefusal(address, policy)).toBeUndefined();
  });

  it('still refuses metadata, link-local, loopback and embedded-IPv4 forms', () => {
    expect(addressRefusal('169.254.169.254', policy)).toMatch(/link-local/);
    expect(addressRefusal('fe80::1', policy)).toMatch(/link-local/);
    expect(addressRefusal('fd00:ec2::254', policy)).toMatch(/cloud metadata/);
    expect(addressRefusal('127.0.0.1', policy)).toMatch(/loopback/);
    expect(addressRefusal('::ffff:10.0.0.1', policy)).toMatch(/IPv4-mapped/);
    expect(addressRefusal('100.64.0.1', policy)).toMatch(/carrier-grade/);
  });
});

describe('platform endpoints', () => {
  it('refuses Azure WireServer though it sits in a public range', () => {
    expect(addressRefusal('168.63.129.16', { allowLoopback: false })).toMatch(/cloud metadata or platform/);
  });
});
