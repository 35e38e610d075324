import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The module rules of README "Working on People", as ESLint enforces them (`npm run lint`): each
// case is a file that does not exist, linted as if it sat at `filePath`.

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('module boundaries', () => {
  it("refuses an import of another domain's private file, and says to use its service", async () => {
    const messages = await restrictedImports(
      'src/timeoff/lint-fixture.ts',
      "import { findEmployeesByIds } from '../employees/employee.store.js';\nexport const found = findEmployeesByIds;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('*.service.js');
  });

  it('refuses the same from a subfolder of a domain', async () => {
    const messages = await restrictedImports(
      'src/timeoff/admin/lint-fixture.ts',
      "import { lockEmployee } from '../../employees/employment.js';\nexport const lock = lockEmployee;\n",
    );
    expect(messages).toHaveLength(1);
  });

  it("refuses date-fns's index anywhere in src (it loads every function: 10 MB of idle memory) and accepts a function's entry point", async () => {
    for (const filePath of ['src/timeoff/lint-fixture.ts', 'src/shared/lint-fixture.ts', 'src/peers/lint-fixture.ts']) {
      const messages = await restrictedImports(filePath, "import { addDays } from 'date-fns';\nexport const add = addDays;\n");
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain("'date-fns/addDays'");
    }
    expect(await restrictedImports('src/shared/lint-fixture.ts', "import { addDays } from 'date-fns/addDays';\nexport const add = addDays;\n")).toEqual([]);
  });

  it("accepts another domain's service, and a domain's own private files", async () => {
    expect(
      await restrictedImports(
        'src/timeoff/lint-fixture.ts',
        "import { lockEmployee } from '../employees/employee.service.js';\nimport { roundDays } from './calendar.js';\nexport const used = [lockEmployee, roundDays];\n",
      ),
    ).toEqual([]);
  });

  it('keeps shared/ below every domain', async () => {
    const messages = await restrictedImports(
      'src/shared/lint-fixture.ts',
      "import { getEmployee } from '../employees/employee.service.js';\nexport const get = getEmployee;\n",
    );
    expect(messages).toHaveLength(1);
  });

  it("lets tables reference another domain's tables (foreign keys), and nothing else of it", async () => {
    expect(
      await restrictedImports('src/timeoff/lint-fixture.tables.ts', "import { employees } from '../employees/employee.tables.js';\nexport const fk = employees;\n"),
    ).toEqual([]);
    expect(
      await restrictedImports('src/timeoff/lint-fixture.tables.ts', "import { findEmployeesByIds } from '../employees/employee.store.js';\nexport const f = findEmployeesByIds;\n"),
    ).toHaveLength(1);
  });
});
