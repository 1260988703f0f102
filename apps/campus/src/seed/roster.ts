/**
 * Rostering rows of a generated data set: the district and its schools, the school year and
 * its terms, teachers and students with their roles, and classes with enrollments. Content
 * pages never read these; they exist so a seeded database looks like a OneRoster import.
 *
 * @module
 */
import type { Dataset } from './dataset.js'
import { SEED_DATE } from './ids.js'
import type { Random } from './random.js'
import { FAMILY_NAMES, GIVEN_NAMES, SCHOOL_KINDS, SCHOOL_PLACES } from './words.js'

/** The district that owns every course (docs/content-model.md). */
export const DISTRICT_ID = 'org-district'
/** The school year every course and class belongs to. */
export const SCHOOL_YEAR_ID = 'as-2026-27'
/** The school year's terms (fall, spring). */
export const TERMS = [
  { id: 'as-2026-27-fall', title: 'Fall 2026', start: '2026-08-17', end: '2026-12-18' },
  { id: 'as-2026-27-spring', title: 'Spring 2027', start: '2027-01-11', end: '2027-06-04' },
] as const

/** How much rostering to generate. */
export interface RosterSize {
  schools: number
  teachersPerSchool: number
  studentsPerSchool: number
  /** Schools teaching each course: [min, max]. */
  schoolsPerCourse: readonly [number, number]
  studentsPerClass: number
}

/** A school with the users generated for it, for classes to draw from. */
export interface School {
  id: string
  place: string
  teachers: string[]
  students: string[]
}

/** Writes orgs, academic sessions, users and roles; returns the schools for {@link addClasses}. */
export function addRoster(data: Dataset, random: Random, size: RosterSize): School[] {
  data.orgs.push({
    sourcedId: DISTRICT_ID,
    status: 'active',
    dateLastModified: SEED_DATE,
    name: 'Campus Academy',
    type: 'district',
    identifier: 'CA',
    parentSourcedId: null,
  })
  data.academicSessions.push({
    sourcedId: SCHOOL_YEAR_ID,
    status: 'active',
    dateLastModified: SEED_DATE,
    title: '2026-2027',
    type: 'schoolYear',
    startDate: TERMS[0].start,
    endDate: TERMS[1].end,
    parentSourcedId: null,
    schoolYear: 2027,
    orgSourcedId: DISTRICT_ID,
  })
  for (const term of TERMS) {
    data.academicSessions.push({
      sourcedId: term.id,
      status: 'active',
      dateLastModified: SEED_DATE,
      title: term.title,
      type: 'term',
      startDate: term.start,
      endDate: term.end,
      parentSourcedId: SCHOOL_YEAR_ID,
      schoolYear: 2027,
      orgSourcedId: DISTRICT_ID,
    })
  }

  const places = random.shuffle(SCHOOL_PLACES).slice(0, size.schools)
  const schools: School[] = []
  let userNumber = 0
  const addUser = (schoolId: string, role: 'teacher' | 'student', grade: string): string => {
    userNumber++
    const id = `usr-${String(userNumber).padStart(5, '0')}`
    const given = random.pick(GIVEN_NAMES)
    const family = random.pick(FAMILY_NAMES)
    // The number keeps usernames unique (a unique index) however the names repeat.
    const username = `${given}.${family}${userNumber}`.toLowerCase()
    data.users.push({
      sourcedId: id,
      status: 'active',
      dateLastModified: SEED_DATE,
      enabledUser: true,
      username,
      givenName: given,
      familyName: family,
      identifier: id.toUpperCase(),
      email: `${username}@campus.example`,
      grades: role === 'student' ? [grade] : [],
      userIds: [{ type: 'campus', identifier: id }],
      agentSourcedIds: [],
    })
    data.userRoles.push({
      sourcedId: `role-${String(data.userRoles.length + 1).padStart(5, '0')}`,
      userSourcedId: id,
      roleType: 'primary',
      role,
      orgSourcedId: schoolId,
      beginDate: TERMS[0].start,
      endDate: TERMS[1].end,
    })
    return id
  }

  places.forEach((place, index) => {
    const id = `org-school-${String(index + 1).padStart(2, '0')}`
    data.orgs.push({
      sourcedId: id,
      status: 'active',
      dateLastModified: SEED_DATE,
      name: `${place} ${SCHOOL_KINDS[index % SCHOOL_KINDS.length]}`,
      type: 'school',
      identifier: `CA-${String(index + 1).padStart(2, '0')}`,
      parentSourcedId: DISTRICT_ID,
    })
    const school: School = { id, place, teachers: [], students: [] }
    for (let t = 0; t < size.teachersPerSchool; t++)
      school.teachers.push(addUser(id, 'teacher', ''))
    for (let s = 0; s < size.studentsPerSchool; s++) {
      school.students.push(addUser(id, 'student', String(9 + (s % 4)).padStart(2, '0')))
    }
    schools.push(school)
  })

  // OneRoster 1.2 lets a user hold several roles: the first teacher also administers the
  // district, so importers and admin pages meet a multi-role user.
  const admin = schools[0]?.teachers[0]
  if (admin) {
    data.userRoles.push({
      sourcedId: `role-${String(data.userRoles.length + 1).padStart(5, '0')}`,
      userSourcedId: admin,
      roleType: 'secondary',
      role: 'administrator',
      orgSourcedId: DISTRICT_ID,
      beginDate: TERMS[0].start,
      endDate: TERMS[1].end,
    })
  }
  return schools
}

/** Writes one class per course in some schools, each with a teacher and students. */
export function addClasses(
  data: Dataset,
  random: Random,
  schools: readonly School[],
  size: RosterSize,
): void {
  let enrollmentNumber = 0
  const enroll = (classId: string, schoolId: string, userId: string, role: string): void => {
    enrollmentNumber++
    data.enrollments.push({
      sourcedId: `enr-${String(enrollmentNumber).padStart(6, '0')}`,
      status: 'active',
      dateLastModified: SEED_DATE,
      classSourcedId: classId,
      schoolSourcedId: schoolId,
      userSourcedId: userId,
      role,
      primary: role === 'teacher',
      beginDate: TERMS[0].start,
      endDate: TERMS[1].end,
    })
  }
  for (const course of data.courses) {
    const count = random.int(size.schoolsPerCourse[0], size.schoolsPerCourse[1])
    for (const school of random.shuffle(schools).slice(0, count)) {
      const id = `cls-${String(data.classes.length + 1).padStart(5, '0')}`
      data.classes.push({
        sourcedId: id,
        status: 'active',
        dateLastModified: SEED_DATE,
        title: `${course.title} (${school.place})`,
        grades: course.grades ?? [],
        courseSourcedId: course.sourcedId,
        classCode: `${course.courseCode ?? course.sourcedId}-${school.id.slice(-2)}`,
        classType: 'scheduled',
        location: `Room ${random.int(100, 299)}`,
        schoolSourcedId: school.id,
        termSourcedIds: TERMS.map((t) => t.id),
        subjects: course.subjects ?? [],
        subjectCodes: course.subjectCodes ?? [],
        periods: [String(random.int(1, 7))],
      })
      enroll(id, school.id, random.pick(school.teachers), 'teacher')
      for (const student of random.shuffle(school.students).slice(0, size.studentsPerClass)) {
        enroll(id, school.id, student, 'student')
      }
    }
  }
}
