// Documentation from the TypeScript source, read with ts-morph: the JSDoc of a module class (or the comment at
// the top of its file), of each port property, and the constructor's parameters.
import { Project, type ClassDeclaration, type SourceFile } from 'ts-morph';
import * as path from 'node:path';
import { projectRoot } from '../../rtl/core/index.ts';

export interface ParamDoc {
  name: string;
  type: string;
  doc: string | undefined;
}

function jsdoc(node: { getJsDocs(): Array<{ getDescription(): string }> }): string | undefined {
  const text = node.getJsDocs().map((d) => d.getDescription().trim()).filter(Boolean).join('\n');
  return text || undefined;
}

export class SourceDocs {
  private readonly project = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
  private readonly files = new Map<string, SourceFile | undefined>();

  private file(rel: string): SourceFile | undefined {
    if (!this.files.has(rel)) {
      const abs = path.isAbsolute(rel) ? rel : path.join(projectRoot, rel);
      let sf: SourceFile | undefined;
      try {
        sf = this.project.addSourceFileAtPath(abs);
      } catch {
        sf = undefined;
      }
      this.files.set(rel, sf);
    }
    return this.files.get(rel);
  }

  private cls(file: string, className: string): ClassDeclaration | undefined {
    return this.file(file)?.getClass(className);
  }

  /** The class's JSDoc, else the `//` comment lines at the top of its file. */
  moduleDoc(file: string, className: string): string | undefined {
    const c = this.cls(file, className);
    if (!c) return undefined;
    const own = jsdoc(c);
    if (own) return own;
    const first = this.file(file)!.getStatements()[0];
    const lead = first?.getLeadingCommentRanges().map((r) => r.getText()) ?? [];
    const text = lead.map((t) => t.replace(/^\/\/\s?/gm, '').replace(/^\/\*+|\*+\/$/g, '').trim()).join('\n').trim();
    return text || undefined;
  }

  propertyDoc(file: string, className: string, prop: string): string | undefined {
    const p = this.cls(file, className)?.getProperty(prop);
    return p ? jsdoc(p) : undefined;
  }

  params(file: string, className: string): ParamDoc[] {
    const ctor = this.cls(file, className)?.getConstructors()[0];
    if (!ctor) return [];
    return ctor.getParameters().map((p) => ({
      name: p.getName(),
      type: p.getTypeNode()?.getText() ?? p.getType().getText(),
      doc: undefined,
    }));
  }
}
