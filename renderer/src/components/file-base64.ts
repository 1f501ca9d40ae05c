/** The bytes of a file the user picked, as base64 without the data-URL prefix (how uploads travel over the contract). */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve((typeof r.result === 'string' ? r.result : '').replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error(`Impossibile leggere il file ${file.name}`));
    r.readAsDataURL(file);
  });
}
