import { revalidatePath, revalidateTag } from 'next/cache'
import { z } from 'zod'

const Body = z.union([z.object({ tag: z.string().min(1) }), z.object({ path: z.string().min(1) })])

/**
 * Invalidates a tag or a path on every instance. In a real app this sits behind an admin check
 * (or is a server action); the example keeps it open for its tests.
 */
export async function POST(request: Request): Promise<Response> {
  const parsed = Body.safeParse(await request.json().catch(() => undefined))
  if (!parsed.success) {
    return Response.json(
      {
        type: 'about:blank',
        title: 'Invalid body',
        status: 400,
        errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    )
  }
  // `expire: 0`: expire now rather than serve the old page once more while re-rendering.
  if ('tag' in parsed.data) revalidateTag(parsed.data.tag, { expire: 0 })
  else revalidatePath(parsed.data.path)
  return Response.json({ revalidated: parsed.data })
}
