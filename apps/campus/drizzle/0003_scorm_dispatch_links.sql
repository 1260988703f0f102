-- A dispatch registration (scorm_registrations.dispatch_id) must name an existing dispatch, and
-- goes with it. Custom SQL because the column is declared beside the SCORM tables, before the
-- dispatch tables exist in the schema module.
ALTER TABLE "scorm_registrations" ADD CONSTRAINT "scorm_registrations_dispatch_id_scorm_dispatches_id_fk" FOREIGN KEY ("dispatch_id") REFERENCES "scorm_dispatches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scorm_registrations_dispatch_created_idx" ON "scorm_registrations" USING btree ("dispatch_id","created_at") WHERE "dispatch_id" is not null;
