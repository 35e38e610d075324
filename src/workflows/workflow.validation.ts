import type {
  CreateWorkflowTemplateInput,
  UpdateWorkflowTemplateInput,
  WorkflowConditionsInput,
  WorkflowTaskTemplateInput,
} from '../generated/graphql.js';
import { departmentNotFound, locationNotFound } from '../shared/common-errors.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { checkText, userError, type UserError } from '../shared/user-errors.js';
import { noConditions } from './workflow.model.js';
import type { TaskTemplateValue, WorkflowConditionsValue } from './workflow.tables.js';

// Input checks that need no database. References (departments, locations, named assignees) are
// checked in the transaction (workflow.templates.ts).

export const limits = {
  name: 200,
  title: 200,
  description: 2000,
  note: 2000,
  tasks: 100,
  /** About a working year either side of the anchor day. */
  dueOffsetDays: 260,
  conditionValues: 50,
} as const;

type Path = readonly string[];

function uniqueIds(path: Path, values: readonly string[] | null | undefined, notFound: (field: Path) => UserError, errors: UserError[]): string[] {
  const ids = [...new Set((values ?? []).map(normaliseId))];
  if (ids.length > limits.conditionValues) {
    errors.push(userError('INVALID_VALUE', [...path], `At most ${limits.conditionValues} values.`));
    return [];
  }
  // An id that is no UUID names nothing; it never reaches SQL.
  ids.forEach((id, index) => {
    if (!isUuid(id)) errors.push(notFound([...path, String(index)]));
  });
  return ids;
}

export function parseConditions(path: Path, input: WorkflowConditionsInput | null | undefined, errors: UserError[]): WorkflowConditionsValue {
  if (!input) return { ...noConditions };
  return {
    departmentIds: uniqueIds([...path, 'departmentIds'], input.departmentIds, departmentNotFound, errors),
    locationIds: uniqueIds([...path, 'locationIds'], input.locationIds, locationNotFound, errors),
    employmentTypes: [...new Set(input.employmentTypes ?? [])],
  };
}

export function parseTasks(path: Path, input: readonly WorkflowTaskTemplateInput[], errors: UserError[]): TaskTemplateValue[] {
  if (input.length > limits.tasks) {
    errors.push(userError('INVALID_VALUE', [...path], `A template has at most ${limits.tasks} tasks.`));
    return [];
  }
  return input.map((task, index) => {
    const at = [...path, String(index)];
    const title = checkText([...at, 'title'], task.title, { required: true, max: limits.title }, errors) ?? '';
    const description = checkText([...at, 'description'], task.description, { required: false, max: limits.description }, errors);
    if (!Number.isInteger(task.dueOffsetDays) || Math.abs(task.dueOffsetDays) > limits.dueOffsetDays) {
      errors.push(
        userError('INVALID_VALUE', [...at, 'dueOffsetDays'], `dueOffsetDays must be between -${limits.dueOffsetDays} and ${limits.dueOffsetDays} working days.`),
      );
    }
    let assigneeId: string | null = null;
    if (task.assigneeKind === 'NAMED') {
      if (!task.assigneeId) errors.push(userError('REQUIRED', [...at, 'assigneeId'], 'A NAMED task needs assigneeId: the employee it is for.'));
      else assigneeId = normaliseId(task.assigneeId);
      if (assigneeId && !isUuid(assigneeId)) errors.push(userError('EMPLOYEE_NOT_FOUND', [...at, 'assigneeId'], 'No employee has this id.'));
    } else if (task.assigneeId) {
      errors.push(userError('INVALID_VALUE', [...at, 'assigneeId'], `assigneeId is for NAMED tasks only; a ${task.assigneeKind} task finds its assignee itself.`));
    }
    return {
      title,
      description,
      assigneeKind: task.assigneeKind,
      assigneeId,
      dueOffsetDays: task.dueOffsetDays,
      required: task.required ?? true,
      conditions: parseConditions([...at, 'conditions'], task.conditions, errors),
      kind: task.kind ?? 'MANUAL',
    };
  });
}

export interface TemplateFields {
  kind: CreateWorkflowTemplateInput['kind'];
  name: string;
  description: string | null;
  active: boolean;
  conditions: WorkflowConditionsValue;
  tasks: TaskTemplateValue[];
}

export function parseCreateTemplate(input: CreateWorkflowTemplateInput): { fields: TemplateFields; errors: UserError[] } {
  const errors: UserError[] = [];
  const fields: TemplateFields = {
    kind: input.kind,
    name: checkText(['input', 'name'], input.name, { required: true, max: limits.name }, errors) ?? '',
    description: checkText(['input', 'description'], input.description, { required: false, max: limits.description }, errors),
    active: input.active ?? true,
    conditions: parseConditions(['input', 'conditions'], input.conditions, errors),
    tasks: parseTasks(['input', 'tasks'], input.tasks, errors),
  };
  return { fields, errors };
}

/** The fields an update sets (omitted: unchanged; `description: null` clears it). */
export function parseUpdateTemplate(input: UpdateWorkflowTemplateInput): { patch: Partial<Omit<TemplateFields, 'kind'>>; errors: UserError[] } {
  const errors: UserError[] = [];
  const patch: Partial<Omit<TemplateFields, 'kind'>> = {};
  if (input.name !== undefined) {
    if (input.name === null) errors.push(userError('REQUIRED', ['input', 'name'], 'name cannot be cleared.'));
    else patch.name = checkText(['input', 'name'], input.name, { required: true, max: limits.name }, errors) ?? '';
  }
  if (input.description !== undefined) {
    patch.description = checkText(['input', 'description'], input.description, { required: false, max: limits.description }, errors);
  }
  if (input.active !== undefined) {
    if (input.active === null) errors.push(userError('REQUIRED', ['input', 'active'], 'active cannot be cleared.'));
    else patch.active = input.active;
  }
  if (input.conditions !== undefined) patch.conditions = parseConditions(['input', 'conditions'], input.conditions, errors);
  if (input.tasks !== undefined) {
    if (input.tasks === null) errors.push(userError('REQUIRED', ['input', 'tasks'], 'tasks cannot be cleared; give an empty list.'));
    else patch.tasks = parseTasks(['input', 'tasks'], input.tasks, errors);
  }
  return { patch, errors };
}
