import { hireDateConflict, type EmploymentListener } from '../employees/employee.service.js';
import * as store from './organisation.store.js';

// What the organisation hangs on a hire date: a department head must be employed on the day they
// start heading it, so a hire moved after that day contradicts the department's history.

export const organisationEmploymentListener: EmploymentListener = {
  async hireDateConflicts(tx, _ctx, { employeeId, hireDate }) {
    const [earliest] = (await store.findDepartmentsHeadedBy(tx, employeeId)).filter((heading) => heading.effectiveFrom < hireDate);
    if (!earliest) return [];
    const [department] = await store.findDepartmentTimelines(tx, [earliest.departmentId]);
    const code = department?.row.code ?? earliest.departmentId;
    return [
      hireDateConflict(`The employee heads department ${code} from ${earliest.effectiveFrom}, before the new hire date ${hireDate}: change its head for that time first.`),
    ];
  },
};
