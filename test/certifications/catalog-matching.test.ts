import { describe, expect, it } from 'vitest';
import { catalogMatchKeys, matchKey } from '../../src/certifications/catalog-matching.js';

describe('matching keys', () => {
  it('ignore case, accents, punctuation and spacing', () => {
    expect(matchKey('AZ-104')).toBe('az104');
    expect(matchKey(' az 104 ')).toBe('az104');
    expect(matchKey('Microsoft Certified: Azure Administrator Associate')).toBe('microsoftcertifiedazureadministratorassociate');
    expect(matchKey('Zertifizierter Prüfer')).toBe(matchKey('zertifizierter prufer'));
  });

  it('keep "+" and "#", which change what a name means', () => {
    expect(matchKey('CompTIA Security+')).not.toBe(matchKey('CompTIA Security'));
    expect(matchKey('Security+')).toBe(matchKey('security plus'));
    expect(matchKey('C#')).not.toBe(matchKey('C'));
  });

  it('an entry answers to its name, code, aliases and tags, each once', () => {
    expect(
      catalogMatchKeys({ name: 'CompTIA Network+', code: 'N10-009', aliases: ['Network+', 'network +', ''], tags: ['Networking'] }),
    ).toEqual(['comptianetworkplus', 'n10009', 'networkplus', 'networking']);
  });
});
