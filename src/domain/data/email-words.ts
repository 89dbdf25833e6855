/**
 * Word lists the emails read titles and names with. Data only; `interview-words.ts` and the
 * greeting use them. Lower case; matched as whole words.
 */

/** The last word of a job title: "Platform Engineer", "Product Designer", "Data Analyst". */
export const ROLE_NOUNS: readonly string[] = [
  'engineer', 'developer', 'programmer', 'architect', 'designer', 'analyst', 'scientist', 'manager',
  'lead', 'director', 'specialist', 'consultant', 'coordinator', 'administrator', 'admin', 'intern',
  'associate', 'accountant', 'writer', 'editor', 'researcher', 'officer', 'representative', 'technician',
  'strategist', 'owner', 'advisor', 'adviser', 'assistant', 'sre', 'devops', 'tester', 'marketer',
  'executive', 'nurse', 'teacher', 'lawyer', 'paralegal', 'planner', 'buyer', 'controller', 'head',
  'vp', 'cto', 'cfo', 'ceo', 'coo', 'principal', 'partner', 'agent', 'operator', 'producer', 'artist',
  'copywriter', 'economist', 'statistician', 'chemist', 'biologist', 'physician', 'pharmacist',
  'internship', 'trainee', 'apprentice', 'fellow', 'clerk', 'supervisor', 'auditor',
];

/**
 * Words about the call itself, not the job: stripped from the ends of a title part before it is
 * read as a role ("Platform Engineer phone screen" → "Platform Engineer").
 */
export const CALL_WORDS: readonly string[] = [
  'phone', 'screen', 'screening', 'interview', 'interviews', 'call', 'chat', 'intro', 'introductory',
  'initial', 'first', 'second', 'final', 'round', '1st', '2nd', '3rd', 'conversation', 'discussion',
  'meeting', 'catch-up', 'sync', 'invitation', 'updated', 're', 'fw', 'fwd', 'with', 'for', 'the', 'a',
  'an', 'our', 'your', 'role', 'position', 'opening', 'job', 'application', 'quick', 'hr', 'recruiter',
  'talent', 'hiring', 'technical', 'tech', 'culture', 'fit', 'telephone', 'video', 'zoom',
  'teams', 'min', 'mins', 'minute', 'minutes', 'candidate', 'about', 'on', 'at', 'and', 'to', 'of',
];

/**
 * A counterpart name with any of these words is a team or a mailbox, not a person: the greeting
 * is "Hello," ("Northwind Talent Team", "Careers at Acme", "HR").
 */
export const TEAM_WORDS: readonly string[] = [
  'talent', 'recruiting', 'recruitment', 'recruiters', 'hr', 'careers', 'career', 'hiring', 'team',
  'people', 'jobs', 'acquisition', 'staffing', 'human', 'resources', 'scheduling', 'scheduler',
  'interviews', 'interviewing', 'noreply', 'no-reply', 'office', 'department', 'inc', 'llc', 'ltd',
  'gmbh', 'corp', 'corporation', 'company', 'group', 'calendar', 'admin', 'support', 'info',
];
