import type { GraphQLResponse, TestApp } from '../support/server.js';

// Builders for certification tests that go through the public API, as a client would.

export const certificationFields = /* GraphQL */ `
  id issuedOn expiresOn status statusAsOf credentialId evidenceUrl createdAt
  employee { id }
  catalogEntry { id name }
  verification { state decidedAt comment decidedBy { id } }
  renewedFrom { id }
  renewedBy { id }
`;

export interface CertificationResult {
  id: string;
  issuedOn: string;
  expiresOn: string | null;
  status: 'ACTIVE' | 'EXPIRING' | 'EXPIRED';
  statusAsOf: string;
  credentialId: string | null;
  evidenceUrl: string | null;
  createdAt: string;
  employee: { id: string } | null;
  catalogEntry: { id: string; name: string };
  verification: { state: string; decidedAt: string | null; comment: string | null; decidedBy: { id: string } | null };
  renewedFrom: { id: string } | null;
  renewedBy: { id: string } | null;
}

export interface UserErrorResult {
  field: string[] | null;
  code: string;
  message: string;
}

export interface CatalogEntryResult {
  id: string;
  name: string;
  issuer: string;
  code: string | null;
  aliases: string[];
  validityMonths: number | null;
  tags: string[];
}

export interface CatalogEntryInput {
  name: string;
  issuer?: string;
  code?: string | null;
  aliases?: string[];
  validityMonths?: number | null;
  tags?: string[];
}

const catalogFields = 'id name issuer code aliases validityMonths tags';

export const createCatalogEntryMutation = /* GraphQL */ `
  mutation CreateEntry($input: CreateCertificationCatalogEntryInput!) {
    createCertificationCatalogEntry(input: $input) { entry { ${catalogFields} } userErrors { field code message } }
  }
`;

export const updateCatalogEntryMutation = /* GraphQL */ `
  mutation UpdateEntry($input: UpdateCertificationCatalogEntryInput!) {
    updateCertificationCatalogEntry(input: $input) { entry { ${catalogFields} } userErrors { field code message } }
  }
`;

export interface CatalogPayload {
  entry: CatalogEntryResult | null;
  userErrors: UserErrorResult[];
}

/** Creates a catalog entry as the test Admin (or `as`), failing the test loudly if People refuses. */
export async function createCatalogEntry(
  app: TestApp,
  input: CatalogEntryInput,
  as?: Record<string, string>,
): Promise<CatalogEntryResult> {
  const response = await app.gql<{ createCertificationCatalogEntry: CatalogPayload }>(
    createCatalogEntryMutation,
    { input: { issuer: 'Test Issuer', ...input } },
    as,
  );
  const entry = response.data?.createCertificationCatalogEntry.entry;
  if (!entry) {
    throw new Error(`createCatalogEntry failed: ${JSON.stringify(response.errors ?? response.data?.createCertificationCatalogEntry.userErrors)}`);
  }
  return entry;
}

export interface CertificationPayload {
  certification: CertificationResult | null;
  userErrors: UserErrorResult[];
}

export interface AddCertificationInput {
  employeeId: string;
  catalogEntryId: string;
  issuedOn: string;
  expiresOn?: string | null;
  credentialId?: string | null;
  evidenceUrl?: string | null;
  verify?: boolean;
}

export const certificationMutations = {
  add: 'addCertification(input: $input)',
  update: 'updateCertification(input: $input)',
  verify: 'verifyCertification(input: $input)',
  reject: 'rejectCertification(input: $input)',
  renew: 'renewCertification(input: $input)',
  remove: 'removeCertification(input: $input)',
} as const;

const inputTypes: Record<keyof typeof certificationMutations, string> = {
  add: 'AddCertificationInput',
  update: 'UpdateCertificationInput',
  verify: 'CertificationVerificationInput',
  reject: 'CertificationVerificationInput',
  renew: 'RenewCertificationInput',
  remove: 'RemoveCertificationInput',
};

/** Runs one certification mutation and returns the whole response (payload under `data.result`). */
export function certificationMutation(
  app: TestApp,
  kind: keyof typeof certificationMutations,
  input: Record<string, unknown>,
  as?: Record<string, string>,
): Promise<GraphQLResponse<{ result: CertificationPayload }>> {
  const query = `mutation M($input: ${inputTypes[kind]}!) { result: ${certificationMutations[kind]} { certification { ${certificationFields} } userErrors { field code message } } }`;
  return app.gql<{ result: CertificationPayload }>(query, { input }, as);
}

/** Adds a certification as the test Admin (or `as`) and returns the payload (check `userErrors` yourself). */
export async function tryAddCertification(
  app: TestApp,
  input: AddCertificationInput,
  as?: Record<string, string>,
): Promise<CertificationPayload> {
  const response = await certificationMutation(app, 'add', { ...input }, as);
  const payload = response.data?.result;
  if (!payload) throw new Error(`addCertification failed: ${JSON.stringify(response.errors)}`);
  return payload;
}

/** Adds a certification, failing the test loudly if People refuses. */
export async function addCertification(
  app: TestApp,
  input: AddCertificationInput,
  as?: Record<string, string>,
): Promise<CertificationResult> {
  const payload = await tryAddCertification(app, input, as);
  if (!payload.certification) throw new Error(`addCertification refused: ${JSON.stringify(payload.userErrors)}`);
  return payload.certification;
}
