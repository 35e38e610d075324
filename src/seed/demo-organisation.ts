import { UTCDate } from '@date-fns/utc';
import { addDays as addDaysToDate } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import pino from 'pino';
import type { Database } from '../db/database.js';
import {
  changeEmployeeStatus,
  countEmployeesStored,
  createEmployee,
  terminalStatuses,
  updateEmployee,
  type EmployeeRecord,
} from '../employees/employee.service.js';
import type {
  AddressInput,
  CreateEmployeeInput,
  EmergencyContactInput,
  EmploymentStatus,
  EmploymentType,
  UpdateEmployeeInput,
} from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { createRequestContext } from '../graphql/request-context.js';
import { insertDepartment, insertLocation, listDepartmentRows, listLocationRows } from '../organisation/organisation.service.js';
import type { CalendarDate, Clock } from '../shared/dates.js';
import type { Outcome } from '../shared/user-errors.js';
import { seedDemoCertifications } from './demo-certifications.js';
import { seedDemoReviews } from './demo-reviews.js';
import { seedDemoTimeOff } from './demo-time-off.js';
import { seedDemoTraining } from './demo-training.js';
import { seedDemoOnboardings, seedDemoWorkflowTemplates } from './demo-workflows.js';
import { SeededRandom } from '../shared/random.js';

/*
 * The demo organisation loaded on the first start of an empty database: "The One Stack", an IT
 * managed services provider with offices in Berlin, London, Austin and Singapore.
 *
 * Everything is deterministic (a seeded PRNG and the name lists below) and dated relative to
 * today, so the demo looks current whenever it is loaded. Employees are hired, moved and sent
 * on leave through the same domain functions the API uses, so every change has a history row
 * and obeys every rule (managers are hired before their reports, and so on).
 */

const emailDomain = 'theonestack.example';
const prngSeed = 0x7e57ac;

// ---------------------------------------------------------------- organisation

const departmentSpecs = {
  EXE: 'Executive',
  MSV: 'Managed Services',
  SDK: 'Service Desk',
  CIN: 'Cloud & Infrastructure',
  SOC: 'Security Operations',
  SAL: 'Sales & Account Management',
  PFN: 'People & Finance',
} as const;
type DepartmentKey = keyof typeof departmentSpecs;

/** The department tree: Executive at the top, the delivery teams under Managed Services. */
const parentDepartments: Partial<Record<DepartmentKey, DepartmentKey>> = {
  MSV: 'EXE',
  SDK: 'MSV',
  CIN: 'MSV',
  SOC: 'MSV',
  SAL: 'EXE',
  PFN: 'EXE',
};

type LocationKey = 'BER' | 'LON' | 'AUS' | 'SIN';

interface NameGroup {
  weight: number;
  /** A first name, or a first name and the preferred name some people with it go by. */
  firstNames: readonly (string | readonly [string, string])[];
  lastNames: readonly string[];
}

interface LocationSpec {
  name: string;
  city: string;
  countryCode: string;
  timezone: string;
  names: readonly NameGroup[];
  workPhone(random: SeededRandom): string;
  personalPhone(random: SeededRandom): string;
  homeAddress(random: SeededRandom): AddressInput;
}

const locationSpecs: Record<LocationKey, LocationSpec> = {
  BER: {
    name: 'Berlin Headquarters',
    city: 'Berlin',
    countryCode: 'DE',
    timezone: 'Europe/Berlin',
    names: [
      {
        weight: 5,
        firstNames: [
          'Anna', 'Lena', 'Julia', ['Katharina', 'Kathi'], 'Sophie', 'Miriam', 'Sabine', 'Claudia', 'Jana', 'Leonie',
          ['Johanna', 'Jo'], ['Franziska', 'Franzi'], ['Maximilian', 'Max'], ['Alexander', 'Alex'], 'Jonas', 'Lukas',
          'Felix', 'Tobias', 'Matthias', 'Stefan', 'Jan', ['Florian', 'Flo'], 'Niklas', 'Jürgen', ['Thomas', 'Tom'],
          'Christian', 'Andreas', 'Daniel',
        ],
        lastNames: [
          'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
          'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hartmann',
          'Lange', 'Werner', 'Krause', 'Lehmann', 'Köhler', 'Vogel', 'Günther', 'Brandt',
        ],
      },
      {
        weight: 1,
        firstNames: ['Emre', 'Ayşe', 'Can', 'Elif', 'Mehmet', 'Zeynep', 'Deniz'],
        lastNames: ['Yılmaz', 'Demir', 'Kaya', 'Şahin', 'Öztürk', 'Aydın', 'Arslan'],
      },
      {
        weight: 1,
        firstNames: ['Katarzyna', 'Piotr', 'Agnieszka', 'Marek', 'Magdalena', 'Tomasz'],
        lastNames: ['Nowak', 'Kowalczyk', 'Wójcik', 'Mazur', 'Krawczyk', 'Zając'],
      },
      {
        weight: 1,
        firstNames: ['Olena', 'Dmytro', 'Iryna', 'Oleksandr', 'Kateryna', 'Andriy'],
        lastNames: ['Shevchenko', 'Bondarenko', 'Kovalenko', 'Tkachenko', 'Kravchenko', 'Melnyk'],
      },
    ],
    workPhone: (r) => `+49 30 5558 ${r.digits(4)}`,
    personalPhone: (r) => `+49 15${r.int(1, 7)} ${r.digits(4)} ${r.digits(4)}`,
    homeAddress: (r) => ({
      line1: `${r.pick([
        'Kastanienallee', 'Oranienstraße', 'Bergmannstraße', 'Schönhauser Allee', 'Karl-Marx-Allee', 'Torstraße',
        'Sonnenallee', 'Kantstraße', 'Boxhagener Straße', 'Simon-Dach-Straße', 'Prenzlauer Allee', 'Hermannstraße',
      ])} ${r.int(1, 140)}`,
      line2: r.chance(0.2) ? `${r.pick(['Hinterhaus', 'Seitenflügel'])}, ${r.int(1, 5)}. OG` : null,
      city: 'Berlin',
      region: 'Berlin',
      postalCode: r.pick(['10115', '10119', '10178', '10243', '10245', '10405', '10435', '10437', '10559', '10623', '10997', '10999', '12043', '12047', '12059']),
      countryCode: 'DE',
    }),
  },
  LON: {
    name: 'London Office',
    city: 'London',
    countryCode: 'GB',
    timezone: 'Europe/London',
    names: [
      {
        weight: 5,
        firstNames: [
          ['Oliver', 'Ollie'], 'Harry', 'George', ['James', 'Jamie'], ['William', 'Will'], ['Thomas', 'Tom'],
          ['Charlotte', 'Charlie'], 'Amelia', 'Emily', 'Olivia', 'Hannah', ['Rebecca', 'Becky'], ['Daniel', 'Dan'],
          ['Samuel', 'Sam'], ['Katherine', 'Kate'], ['Eleanor', 'Ellie'], ['Matthew', 'Matt'], 'Grace', 'Lucy', 'Jack',
        ],
        lastNames: [
          'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright',
          'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Clarke', 'Hughes', 'Edwards',
        ],
      },
      {
        weight: 1,
        firstNames: ['Priya', 'Rohan', 'Sanjay', 'Anjali', ['Nikhil', 'Nik'], 'Meera'],
        lastNames: ['Patel', 'Shah', 'Mistry', 'Sharma', 'Gill', 'Mehta'],
      },
      {
        weight: 1,
        firstNames: ['Aisha', 'Imran', 'Nadia', 'Amir', 'Zara', 'Bilal'],
        lastNames: ['Khan', 'Hussain', 'Chaudhry', 'Ahmed', 'Malik', 'Iqbal'],
      },
      {
        weight: 1,
        firstNames: ['Chidi', 'Ngozi', 'Kwame', 'Ama', ['Babatunde', 'Tunde'], 'Folake'],
        lastNames: ['Okafor', 'Mensah', 'Adeyemi', 'Boateng', 'Owusu', 'Eze'],
      },
    ],
    // Ofcom's ranges for drama: never a real subscriber.
    workPhone: (r) => `+44 20 7946 0${r.digits(3)}`,
    personalPhone: (r) => `+44 7700 900${r.digits(3)}`,
    homeAddress: (r) => ({
      line1: `${r.int(1, 220)} ${r.pick([
        'Camden Road', 'Brick Lane', 'Clapham High Street', 'Upper Street', 'Holloway Road', 'Lordship Lane',
        'Kingsland Road', 'Mare Street', 'Old Kent Road', 'Coldharbour Lane', 'Fulham Palace Road', 'Stroud Green Road',
      ])}`,
      line2: r.chance(0.35) ? `Flat ${r.int(1, 24)}` : null,
      city: 'London',
      region: null,
      postalCode: r.pick(['N1 9GU', 'E1 6QL', 'SW4 7UL', 'N7 6PA', 'SE22 8HN', 'E8 2DY', 'NW1 8NH', 'SE1 5TY', 'SW9 8LH', 'E2 7DG', 'SW6 6AA', 'N4 3EF']),
      countryCode: 'GB',
    }),
  },
  AUS: {
    name: 'Austin Office',
    city: 'Austin',
    countryCode: 'US',
    timezone: 'America/Chicago',
    names: [
      {
        weight: 5,
        firstNames: [
          ['Michael', 'Mike'], ['Jennifer', 'Jen'], ['Christopher', 'Chris'], ['Jessica', 'Jess'], ['Matthew', 'Matt'],
          'Ashley', ['Joshua', 'Josh'], 'Amanda', ['Robert', 'Rob'], 'Sarah', 'David', 'Emily', 'Tyler', 'Megan',
          'Brandon', 'Lauren', 'Justin', 'Rachel', 'Kyle', ['Nicole', 'Nikki'], ['Benjamin', 'Ben'], ['Elizabeth', 'Liz'],
        ],
        lastNames: [
          'Johnson', 'Miller', 'Davis', 'Anderson', 'Thomas', 'Jackson', 'Martin', 'Thompson', 'Moore', 'Clark',
          'Lewis', 'Walker', 'Young', 'Allen', 'King', 'Scott', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Parker',
          'Collins', 'Reed', 'Cooper',
        ],
      },
      {
        weight: 3,
        firstNames: ['Carlos', 'María', 'José', 'Sofía', 'Diego', ['Gabriela', 'Gaby'], 'Luis', 'Ana', 'Miguel', 'Valeria'],
        lastNames: ['García', 'Rodríguez', 'Martínez', 'Hernández', 'López', 'González', 'Ramírez', 'Flores', 'Rivera', 'Torres'],
      },
      {
        weight: 1,
        firstNames: ['Minh', 'Linh', 'Thao', ['Quang', 'Kevin'], 'Huong'],
        lastNames: ['Nguyen', 'Tran', 'Pham', 'Le', 'Vo'],
      },
      {
        weight: 1,
        firstNames: ['Arun', 'Sneha', 'Karthik', 'Divya', 'Rahul'],
        lastNames: ['Reddy', 'Iyer', 'Rao', 'Srinivasan', 'Gupta'],
      },
    ],
    // 555-0100 to 555-0199 are reserved for fiction.
    workPhone: (r) => `+1 512 555 01${r.digits(2)}`,
    personalPhone: (r) => `+1 737 555 01${r.digits(2)}`,
    homeAddress: (r) => ({
      line1: `${r.int(100, 9800)} ${r.pick([
        'Congress Avenue', 'Lamar Boulevard', 'Guadalupe Street', 'Burnet Road', 'Manor Road', 'Cesar Chavez Street',
        'Riverside Drive', 'Airport Boulevard', 'Slaughter Lane', 'Parmer Lane', 'Oltorf Street', 'Koenig Lane',
      ])}`,
      line2: r.chance(0.4) ? `Apt ${r.int(1, 4)}${r.digits(2)}` : null,
      city: 'Austin',
      region: 'TX',
      postalCode: r.pick(['78701', '78702', '78703', '78704', '78705', '78721', '78723', '78731', '78741', '78745', '78748', '78753', '78759']),
      countryCode: 'US',
    }),
  },
  SIN: {
    name: 'Singapore Office',
    city: 'Singapore',
    countryCode: 'SG',
    timezone: 'Asia/Singapore',
    names: [
      {
        weight: 5,
        firstNames: [
          ['Wei Ming', 'Marcus'], ['Jia Hui', 'Rachel'], ['Hui Min', 'Michelle'], ['Jun Jie', 'Jason'], ['Xin Yi', 'Cheryl'],
          'Zhi Hao', ['Mei Ling', 'Melissa'], 'Kai Wen', 'Shu Fen', ['Wei Jie', 'Daniel'], 'Li Ting', 'Jun Hao',
        ],
        lastNames: ['Tan', 'Lim', 'Lee', 'Ng', 'Wong', 'Chua', 'Goh', 'Ong', 'Teo', 'Koh', 'Chan', 'Yeo'],
      },
      {
        weight: 2,
        firstNames: ['Farah', 'Hafiz', 'Aisyah', 'Irfan', 'Siti', 'Haziq', 'Nadhirah'],
        lastNames: ['Rahman', 'Ismail', 'Hassan', 'Salleh', 'Osman', 'Ibrahim', 'Yusof'],
      },
      {
        weight: 2,
        firstNames: ['Priya', 'Arjun', 'Kavitha', 'Rajesh', 'Deepa', 'Vikram', 'Lakshmi'],
        lastNames: ['Kumar', 'Nair', 'Pillai', 'Raj', 'Menon', 'Subramaniam', 'Krishnan'],
      },
    ],
    workPhone: (r) => `+65 6555 ${r.digits(4)}`,
    personalPhone: (r) => `+65 ${r.pick(['8', '9'])}${r.digits(3)} ${r.digits(4)}`,
    homeAddress: (r) => ({
      line1: `Blk ${r.int(1, 980)} ${r.pick([
        'Tampines Street 81', 'Ang Mo Kio Avenue 3', 'Bedok North Road', 'Jurong West Street 42', 'Toa Payoh Lorong 1',
        'Clementi Avenue 2', 'Punggol Drive', 'Yishun Ring Road', 'Sengkang East Way', 'Bukit Batok Street 21',
      ])}`,
      line2: `#${String(r.int(2, 25)).padStart(2, '0')}-${r.digits(3)}`,
      city: 'Singapore',
      region: null,
      postalCode: `${r.pick(['3', '4', '5', '6', '7', '8'])}${r.digits(5)}`,
      countryCode: 'SG',
    }),
  },
};

// ---------------------------------------------------------------- people

/** 0 is the CEO; 4 is an engineer or technician four levels below. Sets the hire window and age. */
type Level = 0 | 1 | 2 | 3 | 4;

interface PersonSpec {
  key: string;
  title: string;
  department: DepartmentKey;
  location: LocationKey;
  manager: string | null;
  level: Level;
  type?: EmploymentType;
  /** Hire date in days from today (negative: past; positive: a pre-hire). SeededRandom within the level's window when omitted. */
  hired?: number;
  /** An IANA zone other than the location's. */
  timezone?: string;
}

/** How many days ago (fewest, most) each level is hired: the company grew downwards from its founder. */
const hireWindows: Record<Level, readonly [number, number]> = {
  0: [2922, 2922],
  1: [2300, 2850],
  2: [1700, 2250],
  3: [1050, 1650],
  4: [45, 1000],
};

/** Age range (years) per level. */
const ageRanges: Record<Level, readonly [number, number]> = {
  0: [51, 58],
  1: [44, 55],
  2: [38, 50],
  3: [31, 45],
  4: [23, 42],
};

function team(
  manager: string,
  department: DepartmentKey,
  location: LocationKey,
  members: readonly (string | (Omit<PersonSpec, 'manager' | 'department' | 'location' | 'level'> & { location?: LocationKey }))[],
): PersonSpec[] {
  return members.map((member, index) =>
    typeof member === 'string'
      ? { key: `${manager}.${index + 1}`, title: member, department, location, manager, level: 4 }
      : { department, location, manager, level: 4, ...member },
  );
}

// Managers come before their reports: the list is hired in order.
const people: readonly PersonSpec[] = [
  { key: 'ceo', title: 'Chief Executive Officer', department: 'EXE', location: 'BER', manager: null, level: 0 },
  { key: 'coo', title: 'Chief Operating Officer', department: 'EXE', location: 'BER', manager: 'ceo', level: 1 },
  { key: 'cto', title: 'Chief Technology Officer', department: 'EXE', location: 'LON', manager: 'ceo', level: 1 },
  { key: 'cfo', title: 'Chief Financial Officer', department: 'PFN', location: 'BER', manager: 'ceo', level: 1 },
  { key: 'vpSales', title: 'VP Sales', department: 'SAL', location: 'AUS', manager: 'ceo', level: 1 },
  { key: 'ea', title: 'Executive Assistant', department: 'EXE', location: 'BER', manager: 'ceo', level: 3, type: 'PART_TIME' },

  { key: 'dirMsv', title: 'Director of Managed Services', department: 'MSV', location: 'BER', manager: 'coo', level: 2 },
  { key: 'headSd', title: 'Head of Service Desk', department: 'SDK', location: 'LON', manager: 'coo', level: 2 },
  { key: 'dirCloud', title: 'Director of Cloud & Infrastructure', department: 'CIN', location: 'AUS', manager: 'cto', level: 2 },
  { key: 'dirSoc', title: 'Director of Security Operations', department: 'SOC', location: 'SIN', manager: 'cto', level: 2 },
  { key: 'salesEmea', title: 'Sales Director EMEA', department: 'SAL', location: 'LON', manager: 'vpSales', level: 2 },
  { key: 'salesAmer', title: 'Sales Director Americas', department: 'SAL', location: 'AUS', manager: 'vpSales', level: 2 },
  { key: 'headPeople', title: 'Head of People', department: 'PFN', location: 'BER', manager: 'cfo', level: 2 },
  { key: 'finMgr', title: 'Finance Manager', department: 'PFN', location: 'BER', manager: 'cfo', level: 2 },

  { key: 'nocLead', title: 'NOC Team Lead', department: 'MSV', location: 'BER', manager: 'dirMsv', level: 3 },
  { key: 'workplaceLead', title: 'Managed Workplace Team Lead', department: 'MSV', location: 'AUS', manager: 'dirMsv', level: 3 },
  { key: 'sdmBer', title: 'Service Delivery Manager', department: 'MSV', location: 'BER', manager: 'dirMsv', level: 3 },
  { key: 'sdmAus', title: 'Service Delivery Manager', department: 'MSV', location: 'AUS', manager: 'dirMsv', level: 3 },
  { key: 'sdLeadLon', title: 'Service Desk Team Lead', department: 'SDK', location: 'LON', manager: 'headSd', level: 3 },
  { key: 'sdLeadAus', title: 'Service Desk Team Lead', department: 'SDK', location: 'AUS', manager: 'headSd', level: 3 },
  { key: 'sdLeadSin', title: 'Service Desk Team Lead', department: 'SDK', location: 'SIN', manager: 'headSd', level: 3 },
  { key: 'cloudLead', title: 'Cloud Platform Team Lead', department: 'CIN', location: 'BER', manager: 'dirCloud', level: 3 },
  { key: 'netLead', title: 'Network Engineering Team Lead', department: 'CIN', location: 'AUS', manager: 'dirCloud', level: 3 },
  { key: 'architect', title: 'Principal Cloud Architect', department: 'CIN', location: 'BER', manager: 'dirCloud', level: 3, hired: -1400 },
  { key: 'socLead', title: 'SOC Team Lead', department: 'SOC', location: 'SIN', manager: 'dirSoc', level: 3 },
  { key: 'secEngLead', title: 'Security Engineering Team Lead', department: 'SOC', location: 'LON', manager: 'dirSoc', level: 3 },

  ...team('salesEmea', 'SAL', 'LON', [
    { key: 'amLon', title: 'Account Manager' },
    { key: 'amBer', title: 'Account Manager', location: 'BER', hired: -820 },
    { key: 'presales', title: 'Pre-Sales Solutions Engineer', location: 'BER' },
  ]),
  // Reported to the VP until the Americas team was formed (a manager change below).
  { key: 'amAus', title: 'Account Manager', department: 'SAL', location: 'AUS', manager: 'vpSales', level: 4, hired: -980 },
  ...team('salesAmer', 'SAL', 'AUS', [
    { key: 'aeAus', title: 'Senior Account Executive' },
    { key: 'bdrAus', title: 'Business Development Representative', hired: -310 },
  ]),
  { key: 'amSin', title: 'Account Manager APAC', department: 'SAL', location: 'SIN', manager: 'vpSales', level: 4 },
  ...team('headPeople', 'PFN', 'BER', [
    { key: 'hrBer', title: 'HR Generalist' },
    { key: 'hrAus', title: 'HR Generalist', location: 'AUS', type: 'PART_TIME' },
    { key: 'talent', title: 'Talent Acquisition Partner', location: 'LON' },
  ]),
  ...team('finMgr', 'PFN', 'BER', [
    { key: 'payroll', title: 'Payroll Specialist', hired: -960 },
    { key: 'accountant', title: 'Accountant' },
    { key: 'billing', title: 'Billing Analyst', location: 'SIN' },
  ]),

  ...team('nocLead', 'MSV', 'BER', [
    { key: 'nocSenior', title: 'Senior NOC Engineer', hired: -990 },
    'NOC Engineer',
    { key: 'nocResigned', title: 'NOC Engineer', hired: -640 },
  ]),
  ...team('workplaceLead', 'MSV', 'AUS', ['Field Service Technician', 'Field Service Technician', 'Endpoint Engineer']),
  ...team('sdLeadLon', 'SDK', 'LON', [
    { key: 'sdPromoted', title: 'Service Desk Technician', hired: -900 },
    { key: 'sdParental', title: 'Service Desk Technician', hired: -700 },
    'Service Desk Technician',
    { key: 'sdTemp', title: 'Service Desk Technician', type: 'TEMPORARY', hired: -75 },
  ]),
  ...team('sdLeadAus', 'SDK', 'AUS', [
    'Service Desk Technician',
    'Service Desk Technician',
    { key: 'sdTerminated', title: 'Service Desk Technician', hired: -300 },
    { key: 'intern', title: 'IT Support Intern', type: 'INTERN', hired: -60 },
  ]),
  ...team('sdLeadSin', 'SDK', 'SIN', [
    'Service Desk Technician',
    'Service Desk Technician',
    { key: 'sdTransferred', title: 'Service Desk Technician', hired: -700 },
  ]),
  ...team('cloudLead', 'CIN', 'BER', [
    { key: 'cloudPromoted', title: 'Cloud Engineer', hired: -950 },
    { key: 'cloudSabbatical', title: 'Cloud Engineer', hired: -880 },
    'DevOps Engineer',
    { key: 'cloudContractor', title: 'Cloud Migration Consultant', type: 'CONTRACTOR' },
    { key: 'cloudPreHire', title: 'Junior Cloud Engineer', hired: 35 },
  ]),
  ...team('netLead', 'CIN', 'AUS', [
    'Senior Network Engineer',
    { key: 'netLeaving', title: 'Network Engineer', hired: -760 },
    'Network Engineer',
    'Systems Administrator',
  ]),
  ...team('socLead', 'SOC', 'SIN', [
    'Senior SOC Analyst',
    'SOC Analyst',
    { key: 'socResigned', title: 'SOC Analyst', hired: -560 },
    'Threat Intelligence Analyst',
    { key: 'socPreHire', title: 'SOC Analyst', hired: 14 },
  ]),
  ...team('secEngLead', 'SOC', 'LON', [
    'Security Engineer',
    { key: 'pentester', title: 'Penetration Tester', type: 'CONTRACTOR', timezone: 'Europe/Dublin' },
    'Identity & Access Management Engineer',
  ]),
];

// ---------------------------------------------------------------- what happened since

type SeedEvent =
  | { kind: 'status'; key: string; on: number; status: EmploymentStatus; reason: string }
  | {
      kind: 'job';
      key: string;
      on: number;
      reason: string;
      jobTitle?: string;
      department?: DepartmentKey;
      location?: LocationKey;
      manager?: string;
      employmentType?: EmploymentType;
    };

/** Applied in order after everyone is hired; `on` is days from today. */
const events: readonly SeedEvent[] = [
  { kind: 'job', key: 'architect', on: -520, location: 'LON', reason: 'Relocated to the London office' },
  { kind: 'job', key: 'amAus', on: -430, manager: 'salesAmer', reason: 'Sales reorganisation: accounts moved to the Americas team' },
  { kind: 'job', key: 'cloudPromoted', on: -400, jobTitle: 'Senior Cloud Engineer', reason: 'Promotion' },
  { kind: 'job', key: 'payroll', on: -365, employmentType: 'PART_TIME', reason: 'Reduced hours at own request' },
  { kind: 'status', key: 'nocSenior', on: -420, status: 'ON_LEAVE', reason: 'Parental leave' },
  { kind: 'status', key: 'nocSenior', on: -330, status: 'ACTIVE', reason: 'Returned from parental leave' },
  {
    kind: 'job',
    key: 'sdTransferred',
    on: -250,
    department: 'SOC',
    jobTitle: 'SOC Analyst',
    manager: 'socLead',
    reason: 'Internal transfer to Security Operations',
  },
  { kind: 'job', key: 'sdPromoted', on: -180, jobTitle: 'Senior Service Desk Technician', reason: 'Promotion' },
  { kind: 'status', key: 'socResigned', on: -200, status: 'RESIGNED', reason: 'Resigned: relocating overseas' },
  { kind: 'status', key: 'sdTerminated', on: -150, status: 'TERMINATED', reason: 'Did not pass probation' },
  { kind: 'status', key: 'nocResigned', on: -90, status: 'RESIGNED', reason: 'Resigned: career change' },
  { kind: 'status', key: 'bdrAus', on: -60, status: 'TERMINATED', reason: 'Position eliminated' },
  { kind: 'status', key: 'sdParental', on: -60, status: 'ON_LEAVE', reason: 'Parental leave' },
  { kind: 'status', key: 'cloudSabbatical', on: -20, status: 'ON_LEAVE', reason: 'Sabbatical' },
  { kind: 'status', key: 'amBer', on: -10, status: 'ON_LEAVE', reason: 'Medical leave' },
  { kind: 'status', key: 'netLeaving', on: 21, status: 'RESIGNED', reason: 'Resigned: moving to a new role' },
];

// ---------------------------------------------------------------- randomness and text



/** ASCII for an e-mail local part: "Jürgen Köhler" -> "juergen", "koehler". */
function slug(name: string): string {
  return name
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  return format(addDaysToDate(new UTCDate(date), days), 'yyyy-MM-dd');
}

// ---------------------------------------------------------------- loading

function unwrap(outcome: Outcome<EmployeeRecord>, what: string): EmployeeRecord {
  if (outcome.ok) return outcome.value;
  const problems = outcome.errors.map((error) => `${error.code} (${error.field?.join('.') ?? '-'}): ${error.message}`);
  throw new Error(`Demo seed: ${what} was refused: ${problems.join('; ')}`);
}

interface Person {
  firstName: string;
  lastName: string;
  preferredName: string | null;
  email: string;
}

class NamePicker {
  private readonly emails = new Set<string>();
  private readonly namesUsed = new Set<string>();

  constructor(private readonly random: SeededRandom) {}

  person(location: LocationSpec): Person {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const group = this.random.weighted(location.names);
      const first = this.random.pick(group.firstNames);
      const lastName = this.random.pick(group.lastNames);
      const [firstName, nickname] = typeof first === 'string' ? [first, null] : first;
      const email = `${slug(firstName)}.${slug(lastName)}@${emailDomain}`;
      if (this.emails.has(email)) continue;
      // Prefer names not used yet, so the directory does not look like a handful of families.
      if (attempt < 40 && (this.namesUsed.has(firstName) || this.namesUsed.has(lastName))) continue;
      this.emails.add(email);
      this.namesUsed.add(firstName);
      this.namesUsed.add(lastName);
      return { firstName, lastName, email, preferredName: nickname && this.random.chance(0.6) ? nickname : null };
    }
    throw new Error(`Demo seed: ran out of unused names for ${location.name}`);
  }

  /** A name from the same location for someone outside the company (an emergency contact). */
  relative(location: LocationSpec, lastName: string | null): string {
    const group = this.random.weighted(location.names);
    const first = this.random.pick(group.firstNames);
    return `${typeof first === 'string' ? first : first[0]} ${lastName ?? this.random.pick(group.lastNames)}`;
  }
}

function emergencyContact(random: SeededRandom, names: NamePicker, location: LocationSpec, lastName: string): EmergencyContactInput {
  const relationship = random.pick(['Spouse', 'Partner', 'Partner', 'Mother', 'Father', 'Sister', 'Brother']);
  const sameFamily = relationship !== 'Partner' || random.chance(0.3);
  return { name: names.relative(location, sameFamily ? lastName : null), relationship, phone: location.personalPhone(random) };
}

function personalEmail(random: SeededRandom, person: Person): string {
  const separator = random.pick(['.', '_', '']);
  const suffix = random.chance(0.5) ? String(random.int(1, 99)) : '';
  const domain = random.pick(['mailbox.example', 'inbox.example', 'post.example']);
  return `${slug(person.firstName)}${separator}${slug(person.lastName)}${suffix}@${domain}`;
}

function checkSpecs(): void {
  const keys = new Set<string>();
  const managers = new Set(people.flatMap((spec) => (spec.manager ? [spec.manager] : [])));
  for (const spec of people) {
    if (keys.has(spec.key)) throw new Error(`Demo seed: duplicate key ${spec.key}`);
    if (spec.manager && !keys.has(spec.manager)) throw new Error(`Demo seed: ${spec.key} is listed before its manager`);
    keys.add(spec.key);
  }
  for (const event of events) {
    if (!keys.has(event.key)) throw new Error(`Demo seed: an event names unknown ${event.key}`);
    if (event.kind === 'status' && terminalStatuses.includes(event.status) && managers.has(event.key)) {
      throw new Error(`Demo seed: ${event.key} leaves but manages others`);
    }
  }
}

async function ensureOrganisation(db: Database): Promise<{
  departments: Record<DepartmentKey, string>;
  locations: Record<LocationKey, string>;
}> {
  // Reuse what exists (someone may have added departments and locations before the first start).
  const existingDepartments = new Map((await listDepartmentRows(db)).map((row) => [row.code, row.id]));
  const existingLocations = new Map((await listLocationRows(db)).map((row) => [row.name, row.id]));
  const departments = {} as Record<DepartmentKey, string>;
  for (const [code, name] of Object.entries(departmentSpecs) as [DepartmentKey, string][]) {
    // Parents come first in departmentSpecs, so each parent's id is known when its children are added.
    const parent = parentDepartments[code];
    departments[code] =
      existingDepartments.get(code) ?? (await insertDepartment(db, { code, name, parentId: parent ? departments[parent] : null })).id;
  }
  const locations = {} as Record<LocationKey, string>;
  for (const [key, spec] of Object.entries(locationSpecs) as [LocationKey, LocationSpec][]) {
    locations[key] =
      existingLocations.get(spec.name) ??
      (await insertLocation(db, { name: spec.name, city: spec.city, countryCode: spec.countryCode, timezone: spec.timezone })).id;
  }
  return { departments, locations };
}

/**
 * Loads the demo organisation when the database has no employees yet.
 * Returns how many employees it created (0 when there were some already).
 */
export async function seedDemoOrganisationIfEmpty(db: Database, clock: Clock): Promise<number> {
  if ((await countEmployeesStored(db)) > 0) return 0;
  checkSpecs();

  const ctx: RequestContext = createRequestContext({
    requestId: 'seed',
    caller: { kind: 'system', name: 'demo-seed' },
    db,
    clock,
    logger: pino({ level: 'silent' }),
  });
  const today = ctx.today;
  const random = new SeededRandom(prngSeed);
  const names = new NamePicker(random);
  const org = await ensureOrganisation(db);

  const ids = new Map<string, string>();
  const hiredOn = new Map<string, number>();
  const idOf = (key: string): string => {
    const id = ids.get(key);
    if (!id) throw new Error(`Demo seed: ${key} has not been hired`);
    return id;
  };

  for (const spec of people) {
    const location = locationSpecs[spec.location];
    const person = names.person(location);
    const [fewestDaysAgo, mostDaysAgo] = hireWindows[spec.level];
    let hired = spec.hired ?? -random.int(fewestDaysAgo, mostDaysAgo);
    const managerHired = spec.manager ? hiredOn.get(spec.manager) : undefined;
    // A random hire date stays at least two weeks after the manager's (and in the past).
    if (spec.hired === undefined && managerHired !== undefined) hired = Math.min(Math.max(hired, managerHired + 14), -1);
    hiredOn.set(spec.key, hired);

    const type = spec.type ?? 'FULL_TIME';
    const [youngest, oldest] = spec.type === 'INTERN' ? ([20, 22] as const) : ageRanges[spec.level];
    const input: CreateEmployeeInput = {
      email: person.email,
      firstName: person.firstName,
      lastName: person.lastName,
      preferredName: person.preferredName,
      jobTitle: spec.title,
      departmentId: org.departments[spec.department],
      locationId: org.locations[spec.location],
      employmentType: type,
      managerId: spec.manager ? idOf(spec.manager) : null,
      hireDate: addDays(today, hired),
      timezone: spec.timezone ?? null,
      workPhone: type === 'CONTRACTOR' || type === 'INTERN' ? null : location.workPhone(random),
      personalEmail: personalEmail(random, person),
      personalPhone: location.personalPhone(random),
      dateOfBirth: addDays(today, -(random.int(youngest, oldest) * 365 + random.int(0, 364))),
      homeAddress: location.homeAddress(random),
      emergencyContact: emergencyContact(random, names, location, person.lastName),
      reason: spec.manager ? 'New hire' : 'Company founded',
    };
    const created = unwrap(await createEmployee(ctx, input), `hiring ${spec.key} (${spec.title})`);
    ids.set(spec.key, created.id);
  }

  const apply = async (event: SeedEvent): Promise<void> => {
    const id = idOf(event.key);
    const effectiveDate = addDays(today, event.on);
    if (event.kind === 'status') {
      unwrap(
        await changeEmployeeStatus(ctx, { id, status: event.status, effectiveDate, reason: event.reason }),
        `${event.status} for ${event.key}`,
      );
      return;
    }
    const input: UpdateEmployeeInput = { id, effectiveDate, reason: event.reason };
    if (event.jobTitle) input.jobTitle = event.jobTitle;
    if (event.department) input.departmentId = org.departments[event.department];
    if (event.location) input.locationId = org.locations[event.location];
    if (event.manager) input.managerId = idOf(event.manager);
    if (event.employmentType) input.employmentType = event.employmentType;
    unwrap(await updateEmployee(ctx, input), `job change for ${event.key} (${event.reason})`);
  };
  for (const event of events.filter((candidate) => candidate.on <= 0)) await apply(event);
  // From here on People is in use: the scheduled resignation below starts its offboarding.
  await seedDemoWorkflowTemplates({ ctx, departments: org.departments });
  for (const event of events.filter((candidate) => candidate.on > 0)) await apply(event);

  // Where and how everyone works today, for the time-off policies that apply to them.
  const jobs = new Map(people.map((spec) => [spec.key, { location: spec.location, type: spec.type ?? 'FULL_TIME' }]));
  for (const event of events) {
    const job = jobs.get(event.key);
    if (event.kind === 'status' || !job || event.on > 0) continue;
    if (event.location) job.location = event.location;
    if (event.employmentType) job.type = event.employmentType;
  }
  await seedDemoTimeOff(db, {
    ctx,
    locations: org.locations,
    employees: people.map((spec) => ({ key: spec.key, id: idOf(spec.key), ...(jobs.get(spec.key) ?? { location: spec.location, type: 'FULL_TIME' }) })),
  });
  await seedDemoCertifications(db, { ctx, employees: people.map((spec) => ({ key: spec.key, id: idOf(spec.key) })) });
  await seedDemoReviews(db, { ctx });
  await seedDemoTraining(db, { ctx, employees: people.map((spec) => ({ key: spec.key, id: idOf(spec.key) })), departments: { peopleAndFinance: org.departments.PFN, serviceDesk: org.departments.SDK } });
  // The people starting soon (hired before the templates existed), soonest first.
  const startingSoon = people.filter((spec) => (spec.hired ?? 0) > 0).sort((a, b) => (a.hired ?? 0) - (b.hired ?? 0));
  await seedDemoOnboardings(ctx, startingSoon.map((spec) => idOf(spec.key)));

  return ids.size;
}
