CREATE TABLE "academic_sessions" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"parent_sourced_id" text,
	"school_year" integer NOT NULL,
	"org_sourced_id" text
);
--> statement-breakpoint
CREATE TABLE "assessment_items" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"resource_sourced_id" text NOT NULL,
	"identifier" text NOT NULL,
	"title" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"fixed" boolean DEFAULT false NOT NULL,
	"body" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "classes" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"grades" text[] DEFAULT '{}'::text[] NOT NULL,
	"course_sourced_id" text NOT NULL,
	"class_code" text,
	"class_type" text DEFAULT 'scheduled' NOT NULL,
	"location" text,
	"school_sourced_id" text NOT NULL,
	"term_sourced_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"subjects" text[] DEFAULT '{}'::text[] NOT NULL,
	"subject_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"periods" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "component_resources" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"course_component_sourced_id" text NOT NULL,
	"resource_sourced_id" text NOT NULL,
	"title" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "course_components" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"course_sourced_id" text NOT NULL,
	"parent_sourced_id" text,
	"title" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"prerequisites" text[] DEFAULT '{}'::text[] NOT NULL,
	"prerequisite_criteria" text,
	"unlock_date" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "courses" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"school_year_sourced_id" text,
	"title" text NOT NULL,
	"course_code" text,
	"grades" text[] DEFAULT '{}'::text[] NOT NULL,
	"org_sourced_id" text NOT NULL,
	"subjects" text[] DEFAULT '{}'::text[] NOT NULL,
	"subject_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enrollments" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"class_sourced_id" text NOT NULL,
	"school_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"role" text NOT NULL,
	"primary" boolean DEFAULT false NOT NULL,
	"begin_date" date,
	"end_date" date
);
--> statement-breakpoint
CREATE TABLE "orgs" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"identifier" text,
	"parent_sourced_id" text
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"vendor_resource_id" text NOT NULL,
	"title" text NOT NULL,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"importance" text,
	"vendor_id" text,
	"application_id" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_roles" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"user_sourced_id" text NOT NULL,
	"role_type" text NOT NULL,
	"role" text NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_profile_sourced_id" text,
	"begin_date" date,
	"end_date" date
);
--> statement-breakpoint
CREATE TABLE "users" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"enabled_user" boolean DEFAULT true NOT NULL,
	"username" text NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"middle_name" text,
	"preferred_first_name" text,
	"identifier" text,
	"email" text,
	"sms" text,
	"phone" text,
	"grades" text[] DEFAULT '{}'::text[] NOT NULL,
	"user_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"agent_sourced_ids" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "academic_sessions" ADD CONSTRAINT "academic_sessions_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_items" ADD CONSTRAINT "assessment_items_resource_sourced_id_resources_sourced_id_fk" FOREIGN KEY ("resource_sourced_id") REFERENCES "resources"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_course_sourced_id_courses_sourced_id_fk" FOREIGN KEY ("course_sourced_id") REFERENCES "courses"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_school_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("school_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "component_resources" ADD CONSTRAINT "component_resources_course_component_sourced_id_course_components_sourced_id_fk" FOREIGN KEY ("course_component_sourced_id") REFERENCES "course_components"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "component_resources" ADD CONSTRAINT "component_resources_resource_sourced_id_resources_sourced_id_fk" FOREIGN KEY ("resource_sourced_id") REFERENCES "resources"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_components" ADD CONSTRAINT "course_components_course_sourced_id_courses_sourced_id_fk" FOREIGN KEY ("course_sourced_id") REFERENCES "courses"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_school_year_sourced_id_academic_sessions_sourced_id_fk" FOREIGN KEY ("school_year_sourced_id") REFERENCES "academic_sessions"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "classes"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_school_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("school_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_items_resource_idx" ON "assessment_items" USING btree ("resource_sourced_id");--> statement-breakpoint
CREATE INDEX "classes_course_idx" ON "classes" USING btree ("course_sourced_id");--> statement-breakpoint
CREATE INDEX "classes_school_idx" ON "classes" USING btree ("school_sourced_id");--> statement-breakpoint
CREATE INDEX "component_resources_component_idx" ON "component_resources" USING btree ("course_component_sourced_id");--> statement-breakpoint
CREATE INDEX "component_resources_resource_idx" ON "component_resources" USING btree ("resource_sourced_id");--> statement-breakpoint
CREATE INDEX "course_components_course_idx" ON "course_components" USING btree ("course_sourced_id");--> statement-breakpoint
CREATE INDEX "course_components_parent_idx" ON "course_components" USING btree ("parent_sourced_id");--> statement-breakpoint
CREATE INDEX "courses_org_idx" ON "courses" USING btree ("org_sourced_id");--> statement-breakpoint
CREATE INDEX "enrollments_class_idx" ON "enrollments" USING btree ("class_sourced_id");--> statement-breakpoint
CREATE INDEX "enrollments_user_idx" ON "enrollments" USING btree ("user_sourced_id");--> statement-breakpoint
CREATE INDEX "orgs_parent_idx" ON "orgs" USING btree ("parent_sourced_id");--> statement-breakpoint
CREATE INDEX "user_roles_user_idx" ON "user_roles" USING btree ("user_sourced_id");--> statement-breakpoint
CREATE INDEX "user_roles_org_idx" ON "user_roles" USING btree ("org_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_idx" ON "users" USING btree ("username");--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "users" USING btree ("email");