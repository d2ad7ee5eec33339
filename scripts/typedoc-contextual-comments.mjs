// A typedoc plugin: a property of an object literal that has no comment of its own takes the
// comment of the property it is typed as, as an editor's hover does. `instruments` is declared
// `{ cacheHits: { kind: 'counter', name: …, … }, … } as const satisfies …`: its entries keep
// their literal types, and each entry's fields are `CounterSpec`'s (or `HistogramSpec`'s, told
// apart by `kind`), documented once there. Without this, typedoc's `validation.notDocumented`
// asks for a comment on every field of every entry.

import { Converter, ReflectionKind } from 'typedoc';
import ts from 'typescript';

/** @param {import('typedoc').Application} app - the typedoc application to hook. */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (reflection.comment !== undefined || !reflection.kindOf(ReflectionKind.Property)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const declaration = symbol?.declarations?.[0];
    if (declaration === undefined || !ts.isPropertyAssignment(declaration)) return;
    const literal = declaration.parent;
    if (!ts.isObjectLiteralExpression(literal)) return;
    // The literal's contextual type: what it `satisfies` or is assigned to; of a union, the
    // members the literal is one of (its `kind` tells `CounterSpec` from `HistogramSpec`).
    const { checker } = context;
    const contextual = checker.getContextualType(literal);
    if (contextual === undefined) return;
    const own = checker.getTypeAtLocation(literal);
    const members = contextual.isUnion()
      ? contextual.types.filter((member) => checker.isTypeAssignableTo(own, member))
      : [contextual];
    if (members.length !== 1) return;
    const typed = members[0].getProperty(symbol.name);
    if (typed === undefined || typed === symbol) return;
    const comment = context.getComment(typed, reflection.kind);
    if (comment !== undefined) reflection.comment = comment;
  });
}
