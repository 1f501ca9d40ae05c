-- Custom SQL migration file, put your code below! --
-- Issue 12: the class a pupil attends is stated once, by the enrollment. pupils.school_id and
-- pupils.class_id are no longer the office's input once the pupil has an enrollment: they follow
-- the pupil's reference enrollment (a non-draft first, then the latest school year; the same rule as
-- syncPupilPlace in electron/enrollments/service.ts). This brings existing databases in line.
UPDATE `pupils` SET (`school_id`, `class_id`) = (
	SELECT e.`school_id`, e.`class_id` FROM `enrollments` e JOIN `school_years` y ON y.`id` = e.`school_year_id`
	WHERE e.`pupil_id` = `pupils`.`id`
	ORDER BY e.`status` = 'bozza', y.`starts_on` DESC, e.`id` DESC LIMIT 1
) WHERE EXISTS (SELECT 1 FROM `enrollments` e WHERE e.`pupil_id` = `pupils`.`id`);
