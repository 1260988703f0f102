/** Toddle data in the documented shapes, about the learners of the fixture roster. */

/** Every resource, as the API serves it and as the JSON files hold it. */
export function toddleData(): Record<string, Record<string, unknown>[]> {
  return {
    'academic-years': [
      { id: 'ay-25', title: '2025-2026', start_date: '2025-08-15', end_date: '2026-06-15' },
    ],
    'grading-periods': [
      {
        id: 'gp-1',
        title: 'Term 1',
        academic_year_id: 'ay-25',
        start_date: '2025-08-15',
        end_date: '2025-12-19',
      },
      {
        id: 'gp-2',
        title: 'Term 2',
        academic_year_id: 'ay-25',
        start_date: '2026-01-05',
        end_date: '2026-06-15',
      },
    ],
    courses: [
      {
        id: 'c-math',
        title: 'Mathematics 2',
        code: 'MATH-2A',
        subject: 'Mathematics',
        academic_year_id: 'ay-25',
      },
      { id: 'c-art', title: 'Visual Arts', code: null, subject: 'Arts', academic_year_id: 'ay-25' },
    ],
    students: [
      // By student number.
      {
        id: 101,
        student_id: 'S-A1',
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: null,
        year_group: 'K',
        status: 'active',
      },
      // By email.
      {
        id: 102,
        student_id: null,
        first_name: 'Alan',
        last_name: 'Turing',
        email: 'ALAN.TURING.U-A2@school.example',
        year_group: '2',
      },
      // By name and grade.
      {
        id: 103,
        student_id: 'TODDLE-ONLY',
        first_name: 'Grace',
        last_name: 'Hopper',
        email: null,
        year_group: 'Grade 2',
      },
    ],
    staff: [
      {
        id: 't-1',
        first_name: 'Marie',
        last_name: 'Curie',
        email: 'marie@school.example',
        role: 'teacher',
      },
    ],
    enrollments: [
      { id: 'e-1', course_id: 'c-math', user_id: '101', role: 'student' },
      { id: 'e-2', course_id: 'c-math', user_id: '102', role: 'student' },
      { id: 'e-3', course_id: 'c-math', user_id: '103', role: 'student' },
      { id: 'e-4', course_id: 'c-math', user_id: 't-1', role: 'teacher' },
    ],
    'term-grades': [
      {
        id: 'tg-1',
        student_id: '101',
        course_id: 'c-math',
        grading_period_id: 'gp-1',
        score: 6,
        grade: '6',
        comment: 'Steady work',
      },
      {
        id: 'tg-2',
        student_id: '102',
        course_id: 'c-math',
        grading_period_id: 'gp-1',
        score: 7,
        grade: '7',
      },
      {
        id: 'tg-3',
        student_id: '103',
        course_id: 'c-math',
        grading_period_id: 'gp-1',
        score: null,
        grade: 'INC',
      },
      {
        id: 'tg-4',
        student_id: '101',
        course_id: 'c-art',
        grading_period_id: 'gp-2',
        score: 5,
        grade: '5',
      },
      {
        id: 'tg-5',
        student_id: '102',
        course_id: 'c-art',
        grading_period_id: 'gp-2',
        score: 4.5,
        grade: '4',
      },
    ],
    attendance: [
      { id: 'a-1', student_id: '101', course_id: null, date: '2025-09-01', status: 'present' },
      { id: 'a-2', student_id: '102', course_id: null, date: '2025-09-01', status: 'absent' },
      { id: 'a-3', student_id: '103', course_id: 'c-math', date: '2025-09-01', status: 'late' },
    ],
    gradebook: [
      {
        student_id: '101',
        course_id: 'c-math',
        task_id: 'task-1',
        task_title: 'Fractions quiz',
        task_type: 'FA',
        grading_category: 'Quizzes',
        evaluation_status: 'evaluated',
        overall_score: 8,
        overall_grade: 'B',
        due_date: '2025-10-01',
      },
      {
        student_id: '102',
        course_id: 'c-math',
        task_id: 'task-1',
        task_title: 'Fractions quiz',
        task_type: 'FA',
        grading_category: 'Quizzes',
        evaluation_status: 'pending',
        overall_score: null,
        overall_grade: null,
        due_date: '2025-10-01',
      },
      {
        student_id: '101',
        course_id: 'c-math',
        task_id: 'task-2',
        task_title: 'Unit test',
        task_type: 'SA',
        grading_category: 'Tests',
        evaluation_status: 'evaluated',
        overall_score: 27.5,
        overall_grade: 'A',
        due_date: null,
      },
    ],
  }
}
