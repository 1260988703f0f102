CREATE TABLE "practice_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"attempt_token" text NOT NULL,
	"resource_sourced_id" text NOT NULL,
	"resource_type" text NOT NULL,
	"course_sourced_id" text NOT NULL,
	"unit_sourced_id" text,
	"lesson_sourced_id" text,
	"class_sourced_id" text,
	"term_sourced_id" text,
	"grade_level" text,
	"seed" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"score_raw" integer NOT NULL,
	"score_max" integer NOT NULL,
	"score_percent" numeric(5, 2) NOT NULL,
	"passed" boolean NOT NULL,
	"xp_awarded" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practice_item_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"attempt_id" uuid NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"resource_sourced_id" text NOT NULL,
	"item_sourced_id" text NOT NULL,
	"position" integer NOT NULL,
	"response" jsonb NOT NULL,
	"correct" boolean NOT NULL,
	"points" integer NOT NULL,
	"max_points" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_resource_sourced_id_resources_sourced_id_fk" FOREIGN KEY ("resource_sourced_id") REFERENCES "resources"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_course_sourced_id_courses_sourced_id_fk" FOREIGN KEY ("course_sourced_id") REFERENCES "courses"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_unit_sourced_id_course_components_sourced_id_fk" FOREIGN KEY ("unit_sourced_id") REFERENCES "course_components"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_lesson_sourced_id_course_components_sourced_id_fk" FOREIGN KEY ("lesson_sourced_id") REFERENCES "course_components"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "classes"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_term_sourced_id_academic_sessions_sourced_id_fk" FOREIGN KEY ("term_sourced_id") REFERENCES "academic_sessions"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_attempt_id_practice_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "practice_attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_resource_sourced_id_resources_sourced_id_fk" FOREIGN KEY ("resource_sourced_id") REFERENCES "resources"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_item_sourced_id_assessment_items_sourced_id_fk" FOREIGN KEY ("item_sourced_id") REFERENCES "assessment_items"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "practice_attempts_token_idx" ON "practice_attempts" USING btree ("user_sourced_id","attempt_token");--> statement-breakpoint
CREATE INDEX "practice_attempts_org_course_submitted_idx" ON "practice_attempts" USING btree ("org_sourced_id","course_sourced_id","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_user_submitted_idx" ON "practice_attempts" USING btree ("user_sourced_id","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_user_resource_idx" ON "practice_attempts" USING btree ("user_sourced_id","resource_sourced_id");--> statement-breakpoint
CREATE INDEX "practice_attempts_resource_submitted_idx" ON "practice_attempts" USING btree ("resource_sourced_id","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_class_submitted_idx" ON "practice_attempts" USING btree ("class_sourced_id","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_org_grade_submitted_idx" ON "practice_attempts" USING btree ("org_sourced_id","grade_level","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_term_idx" ON "practice_attempts" USING btree ("term_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "practice_item_responses_attempt_item_idx" ON "practice_item_responses" USING btree ("attempt_id","item_sourced_id");--> statement-breakpoint
CREATE INDEX "practice_item_responses_item_idx" ON "practice_item_responses" USING btree ("item_sourced_id","correct");--> statement-breakpoint
CREATE INDEX "practice_item_responses_org_resource_idx" ON "practice_item_responses" USING btree ("org_sourced_id","resource_sourced_id");