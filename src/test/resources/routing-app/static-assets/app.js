/* ROUTING-APP static app.js */
