// How a name someone types is compared with the catalog: case, accents, punctuation and spacing
// do not count, so "AZ-104", "az 104" and "Az104" are one key. "+" and "#" are spelled out
// first: they carry meaning in names ("Security+" is not "Security", "C#" is not "C").

/** The matching form of a name, code, alias or tag: lower-case letters and digits only. */
export function matchKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\+/g, 'plus')
    .replace(/#/g, 'sharp')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Every key an entry answers to, without empties or repeats. */
export function catalogMatchKeys(entry: {
  name: string;
  code: string | null;
  aliases: readonly string[];
  tags: readonly string[];
}): string[] {
  const keys = [entry.name, entry.code ?? '', ...entry.aliases, ...entry.tags].map(matchKey).filter((key) => key !== '');
  return [...new Set(keys)];
}
