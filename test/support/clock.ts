import type { Clock } from '../../src/shared/dates.js';

/** A clock whose day tests set and move. */
export class TestClock implements Clock {
  constructor(private day: string) {}

  today(): string {
    return this.day;
  }

  now(): Date {
    return new Date(`${this.day}T12:00:00.000Z`);
  }

  set(day: string): void {
    this.day = day;
  }
}
