CREATE TABLE "scorm_dispatch_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"dispatch_id" uuid NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scorm_dispatch_launches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"dispatch_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"origin" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorm_dispatches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"package_id" uuid NOT NULL,
	"title" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"registration_cap" integer,
	"registration_count" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorm_tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'lms' NOT NULL,
	"target_org_sourced_id" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"registration_cap" integer,
	"registration_count" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"allowed_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scorm_dispatch_keys" ADD CONSTRAINT "scorm_dispatch_keys_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_keys" ADD CONSTRAINT "scorm_dispatch_keys_dispatch_id_scorm_dispatches_id_fk" FOREIGN KEY ("dispatch_id") REFERENCES "public"."scorm_dispatches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_keys" ADD CONSTRAINT "scorm_dispatch_keys_created_by_users_sourced_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_launches" ADD CONSTRAINT "scorm_dispatch_launches_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_launches" ADD CONSTRAINT "scorm_dispatch_launches_dispatch_id_scorm_dispatches_id_fk" FOREIGN KEY ("dispatch_id") REFERENCES "public"."scorm_dispatches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_launches" ADD CONSTRAINT "scorm_dispatch_launches_registration_id_scorm_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."scorm_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatches" ADD CONSTRAINT "scorm_dispatches_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatches" ADD CONSTRAINT "scorm_dispatches_tenant_id_scorm_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."scorm_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatches" ADD CONSTRAINT "scorm_dispatches_package_id_scorm_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."scorm_packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_tenants" ADD CONSTRAINT "scorm_tenants_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_tenants" ADD CONSTRAINT "scorm_tenants_target_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("target_org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_dispatch_keys_hash_idx" ON "scorm_dispatch_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "scorm_dispatch_keys_dispatch_idx" ON "scorm_dispatch_keys" USING btree ("dispatch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_dispatch_launches_token_idx" ON "scorm_dispatch_launches" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "scorm_dispatch_launches_registration_idx" ON "scorm_dispatch_launches" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "scorm_dispatches_tenant_idx" ON "scorm_dispatches" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "scorm_dispatches_org_idx" ON "scorm_dispatches" USING btree ("org_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_tenants_org_name_idx" ON "scorm_tenants" USING btree ("org_sourced_id","name");