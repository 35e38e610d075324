import type { UserCaller } from '../auth/auth.service.js';

/** The signed-in person `me` answers for: always a person (services are refused before). */
export interface MeModel {
  caller: UserCaller;
}
