import { hireDateConflict, type EmploymentListener } from '../employees/employee.service.js';
import { addDays } from './calendar.js';
import * as store from './timeoff.store.js';

// What time off hangs on the hire date. Accrual (prorated from the hire date) and waiting periods
// (counted from it) read `employees.hire_date` whenever they are computed, so they follow a
// correction by themselves. A pending or approved request starting before the new date cannot:
// nobody takes time off before they are employed. Such a request refuses the correction until it
// is cancelled. (One in the new waiting period stays: the period is a rule for new requests.)

export const timeOffEmploymentListener: EmploymentListener = {
  async hireDateConflicts(tx, _ctx, { employeeId, hireDate }) {
    const before = await store.findRequestsOfEmployees(tx, [employeeId], { from: null, to: addDays(hireDate, -1), statuses: ['PENDING', 'APPROVED'] });
    const earliest = before.at(-1);
    if (!earliest) return [];
    const others = before.length > 1 ? ` (and ${before.length - 1} more)` : '';
    return [
      hireDateConflict(
        `${earliest.status === 'APPROVED' ? 'An approved' : 'A pending'} time-off request from ${earliest.startDate} to ${earliest.endDate}${others} starts before the new hire date ${hireDate}: cancel it first.`,
      ),
    ];
  },
};
