import { pgTable, text, uuid, char } from 'drizzle-orm/pg-core';

export const departments = pgTable('departments', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  code: text('code').notNull().unique(),
});

export const locations = pgTable('locations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  city: text('city').notNull(),
  countryCode: char('country_code', { length: 2 }).notNull(),
  timezone: text('timezone').notNull(),
});

export type DepartmentRow = typeof departments.$inferSelect;
export type LocationRow = typeof locations.$inferSelect;
