import { expect } from 'vitest';
import type { TestApp } from '../support/server.js';

// Organisation changes go through the public API, as an HR administrator would make them.

export interface UserErrorShape {
  field: string[] | null;
  code: string;
  message: string;
}

export const organisationMutations = {
  createDepartment: /* GraphQL */ `mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { department { id name code existsFrom parent { id name } } userErrors { field code message } } }`,
  updateDepartment: /* GraphQL */ `mutation($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { department { id name code parent { id name } } userErrors { field code message } } }`,
  archiveDepartment: /* GraphQL */ `mutation($input: ArchiveOrganisationUnitInput!) { archiveDepartment(input: $input) { department { id name archivedOn } userErrors { field code message } } }`,
  createLocation: /* GraphQL */ `mutation($input: CreateLocationInput!) { createLocation(input: $input) { location { id name city countryCode timezone address { line1 line2 city region postalCode countryCode } } userErrors { field code message } } }`,
  updateLocation: /* GraphQL */ `mutation($input: UpdateLocationInput!) { updateLocation(input: $input) { location { id name city countryCode timezone address { line1 city } } userErrors { field code message } } }`,
  archiveLocation: /* GraphQL */ `mutation($input: ArchiveOrganisationUnitInput!) { archiveLocation(input: $input) { location { id archivedOn } userErrors { field code message } } }`,
  updateEmployee: /* GraphQL */ `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id } userErrors { field code message } } }`,
} as const;

export type OrganisationMutation = keyof typeof organisationMutations;

/** Sends a mutation; answers its payload (the first field of `data`), failing on GraphQL errors. */
export async function attempt<T = Record<string, unknown>>(
  app: TestApp,
  mutation: OrganisationMutation,
  input: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<T & { userErrors: UserErrorShape[] }> {
  const response = await app.gql<Record<string, T & { userErrors: UserErrorShape[] }>>(organisationMutations[mutation], { input }, headers);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const payload = Object.values(response.data ?? {})[0];
  if (!payload) throw new Error(`${mutation}: no payload`);
  return payload;
}

/** Sends a mutation that must succeed; answers its payload. */
export async function change<T = Record<string, unknown>>(
  app: TestApp,
  mutation: OrganisationMutation,
  input: Record<string, unknown>,
): Promise<T> {
  const payload = await attempt<T>(app, mutation, input);
  expect(payload.userErrors, `${mutation} ${JSON.stringify(input)}`).toEqual([]);
  return payload;
}

export async function createDepartment(app: TestApp, input: Record<string, unknown>): Promise<string> {
  const payload = await change<{ department: { id: string } }>(app, 'createDepartment', input);
  return payload.department.id;
}

export async function createLocation(app: TestApp, input: Partial<Record<string, unknown>> = {}): Promise<string> {
  const payload = await change<{ location: { id: string } }>(app, 'createLocation', {
    name: `Office ${Math.random().toString(36).slice(2, 8)}`,
    city: 'Berlin',
    countryCode: 'DE',
    timezone: 'Europe/Berlin',
    ...input,
  });
  return payload.location.id;
}
